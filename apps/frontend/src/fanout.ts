// /api/fanout?n=K: K parallel calls to the backend, answered with how many each version served.
import { sendJson } from '@meshproof-app/shared/http';
import type { Counter } from '@meshproof-app/shared/metrics';
import { parseBoundedInt, queryParam } from '@meshproof-app/shared/params';
import type { Handler } from '@meshproof-app/shared/service';
import type { BackendClient, BackendFailure } from './backend-client.ts';

export const FANOUT_DEFAULT = 10;
export const FANOUT_MAX = 100;
// A misbehaving backend could report endless distinct versions; keep labels and JSON bounded.
const MAX_VERSIONS = 16;

export type FanoutResult = {
  calls: number;
  versions: Record<string, number>;
  pods: Record<string, number>;
  errors: number;
  /** Of the errors, those a backend answered, by the version it named (absent when there are none). */
  errorVersions?: Record<string, number>;
  firstError?: string;
};

export function fanoutHandler(client: BackendClient, calls: Counter): Handler {
  return async (_req, res, ctx) => {
    const n = parseBoundedInt('n', queryParam(ctx.query, 'n'), FANOUT_DEFAULT, 1, FANOUT_MAX);
    if (!n.ok) return sendJson(res, 400, { error: n.message });
    const settled = await Promise.allSettled(
      Array.from({ length: n.value }, () => client.identify(ctx.trace)),
    );
    const result: FanoutResult = { calls: n.value, versions: {}, pods: {}, errors: 0 };
    for (const s of settled) {
      if (s.status === 'rejected') {
        result.errors++;
        result.firstError ??= String(s.reason).slice(0, 200);
        const version = (s.reason as BackendFailure).version;
        if (version !== undefined) {
          result.errorVersions ??= {};
          const byVersion = result.errorVersions;
          const known = Object.keys(byVersion);
          const key = known.includes(version) || known.length < MAX_VERSIONS ? version : 'other';
          byVersion[key] = (byVersion[key] ?? 0) + 1;
        }
        calls.inc(['error']);
        continue;
      }
      const known = Object.keys(result.versions);
      const version =
        known.includes(s.value.version) || known.length < MAX_VERSIONS ? s.value.version : 'other';
      result.versions[version] = (result.versions[version] ?? 0) + 1;
      if (Object.keys(result.pods).length < MAX_VERSIONS * 4) {
        result.pods[s.value.pod] = (result.pods[s.value.pod] ?? 0) + 1;
      }
      calls.inc(['ok']);
    }
    // All calls failed: the frontend can't do its job, which a mesh should see as an error.
    sendJson(res, result.errors === n.value ? 502 : 200, result);
  };
}
