// Sends one probe until its expected verdict holds several times in a row, within a bound, keeping
// every attempt's evidence. Meshes apply policy a little after it is written (istiod debounces
// pushes, Cilium bumps a policy revision per agent, kindnet syncs nft sets at most every second), so
// a single answer proves little; Istio's own suite wants 3 passes in a row within 30 s.
import type { L7DenySignature, ZeroTrustFacts } from '@meshproof/render';
import type { PlannedProbe } from '../step.ts';
import { type Classification, classify, judge, type Verdict } from './classify.ts';
import type { RequestEvidence } from './evidence.ts';

export interface ProbeRetry {
  intervalMs: number;
  boundMs: number;
  consecutive: number;
  /** Deadline of one request inside the pod (the client's --timeout-ms). */
  requestTimeoutMs: number;
}

/** The reference recommendation: 1 s apart, 30 s at most, 3 passes in a row, 2 s per request. */
export const PROBE_RETRY: ProbeRetry = {
  intervalMs: 1000,
  boundMs: 30_000,
  consecutive: 3,
  requestTimeoutMs: 2000,
};

/** What running the client in the pod gave: kubectl's exit code and output. */
export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface AttemptRecord {
  /** Milliseconds since the probe's first attempt started. */
  atMs: number;
  evidence?: RequestEvidence;
  /** kubectl or the client failed: no evidence. */
  execError?: string;
  classification: Classification;
  verdict: Verdict;
}

export interface ProbeResult {
  probe: PlannedProbe;
  pass: boolean;
  reason: string;
  attempts: AttemptRecord[];
  durationMs: number;
}

/** The client's JSON line, or why there is none (kubectl failed, the pod is gone, the image lacks the client). */
export function parseExec(r: ExecResult): { evidence: RequestEvidence } | { execError: string } {
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.code === 0 && line.startsWith('{')) {
    try {
      return { evidence: JSON.parse(line) as RequestEvidence };
    } catch {
      // falls through to the error below
    }
  }
  const detail = (r.stderr.trim() || r.stdout.trim() || 'no output').split('\n').slice(-3).join(' | ');
  return { execError: `kubectl exec exited ${r.code ?? 'on a signal'}: ${detail}` };
}

export interface ProveOptions {
  retry?: ProbeRetry;
  /** The cluster mesh's refusals (ZeroTrustFacts.denials). */
  denials: ZeroTrustFacts['denials'];
  /** Every known refusal signature, to recognise (and reject) another mesh's answer. */
  signatures: readonly L7DenySignature[];
  /** Whether the probe's controls have passed (see Probe.controls). */
  targetProvenUp: boolean;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs `attempt` until `consecutive` verdicts in a row pass or the bound is spent. */
export async function prove(
  probe: PlannedProbe,
  attempt: () => Promise<ExecResult>,
  opts: ProveOptions,
): Promise<ProbeResult> {
  const retry = opts.retry ?? PROBE_RETRY;
  const sleep = opts.sleep ?? delay;
  const now = opts.now ?? Date.now;
  const start = now();
  const attempts: AttemptRecord[] = [];
  let streak = 0;
  for (;;) {
    const atMs = now() - start;
    const parsed = parseExec(await attempt());
    const classification: Classification =
      'evidence' in parsed
        ? classify(parsed.evidence, opts.signatures)
        : { outcome: 'ERROR', reason: parsed.execError };
    const verdict = judge(probe.expect, classification, opts.denials, opts.targetProvenUp);
    attempts.push({ atMs, ...parsed, classification, verdict });
    streak = verdict.pass ? streak + 1 : 0;
    const elapsed = now() - start;
    if (streak >= retry.consecutive) {
      return {
        probe,
        pass: true,
        reason: `${verdict.reason} (${streak} in a row, ${attempts.length} attempts)`,
        attempts,
        durationMs: elapsed,
      };
    }
    if (elapsed + retry.intervalMs > retry.boundMs) {
      return {
        probe,
        pass: false,
        reason: `${verdict.reason} (no ${retry.consecutive} passes in a row within ${retry.boundMs / 1000} s; ${attempts.length} attempts)`,
        attempts,
        durationMs: elapsed,
      };
    }
    await sleep(retry.intervalMs);
  }
}
