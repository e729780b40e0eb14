import type { App, Call, Platform } from '@meshproof/spec';
import { type Caller, callersOf } from '../workload/names.ts';

/**
 * One inbound route of a callee and the callers it admits. A Linkerd AuthorizationPolicy targets a
 * whole route, and a request is matched by exactly one route (Gateway API precedence: longest path
 * prefix first, then a method match). So every (path, method) the `calls` mention becomes its own
 * route, admitting exactly the callers whose call covers it; whichever route wins for a request
 * then admits exactly the callers allowed to make that request.
 */
export interface AccessRoute {
  pathPrefix: string;
  /** undefined: any method (only callers without a method restriction). */
  method?: string;
  callers: Caller[];
}

/**
 * Gateway API PathPrefix semantics: whole path segments, so `/api` covers `/api/x` but not `/apix`,
 * and a trailing `/` of the prefix is ignored (`/api/` covers `/api`).
 */
export function coversPath(prefix: string, path: string): boolean {
  const base = prefix.replace(/\/+$/, '');
  return base === '' || path === base || path.startsWith(`${base}/`);
}

const covers = (call: Call, pathPrefix: string, method: string | undefined): boolean =>
  (call.methods === undefined || (method !== undefined && (call.methods as string[]).includes(method))) &&
  (call.paths === undefined || call.paths.some((p) => coversPath(p, pathPrefix)));

const byName = (a: Caller, b: Caller) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The callee's access routes, sorted by path then method; routes nobody may use are left out (denied anyway). */
export function accessRoutes(platform: Platform, callee: App): AccessRoute[] {
  const callers = callersOf(platform, callee);
  const paths = new Set<string>();
  const methods = new Set<string | undefined>();
  for (const { call } of callers) {
    for (const p of call.paths ?? ['/']) paths.add(p);
    for (const m of call.methods ?? [undefined]) methods.add(m);
  }
  const sortedMethods = [...methods].sort((a, b) => (a ?? '').localeCompare(b ?? ''));
  const routes: AccessRoute[] = [];
  for (const pathPrefix of [...paths].sort()) {
    for (const method of sortedMethods) {
      const admitted = callers
        .filter(({ call }) => covers(call, pathPrefix, method))
        .map(({ caller }) => caller);
      const unique = [...new Map(admitted.map((a) => [`${a.namespace}/${a.name}`, a])).values()].sort(byName);
      if (unique.length > 0) routes.push({ pathPrefix, method, callers: unique });
    }
  }
  return routes;
}
