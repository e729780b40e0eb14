// Reads a Flagger Canary's status (flagger.app/v1beta1: status.phase, status.canaryWeight,
// status.failedChecks, status.iterations; fluxcd/flagger pkg/apis/flagger/v1beta1/status.go).
import type { CanaryPoll } from './timeline.ts';

export const TERMINAL_PHASES = ['Succeeded', 'Failed'] as const;
/** Phases in which a new revision can start a rollout. */
export const READY_PHASES = ['Initialized', 'Succeeded', 'Failed'] as const;

/** One poll from `kubectl get canary -o json` output; throws with the text when it is not a Canary. */
export function canaryPoll(json: string, t: number): CanaryPoll & { iterations?: number } {
  let o: {
    kind?: string;
    status?: { phase?: unknown; canaryWeight?: unknown; failedChecks?: unknown; iterations?: unknown };
  };
  try {
    o = JSON.parse(json);
  } catch {
    throw new Error(`kubectl get canary printed no JSON: ${json.slice(0, 200)}`);
  }
  if (o.kind !== 'Canary') throw new Error(`expected a Canary, got ${String(o.kind)}`);
  const s = o.status ?? {};
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  return {
    t,
    // A Canary Flagger has not seen yet has no status.
    phase: typeof s.phase === 'string' ? s.phase : 'Pending',
    weight: num(s.canaryWeight) ?? 0,
    ...(num(s.failedChecks) !== undefined ? { failedChecks: num(s.failedChecks) } : {}),
    ...(num(s.iterations) !== undefined ? { iterations: num(s.iterations) } : {}),
  };
}

/**
 * The rollout of a new revision is over: it was seen running (Progressing or later) and then reached
 * a terminal phase at least `tailMs` ago (the tail shows who serves once Flagger is done).
 */
export function rolloutOver(all: readonly CanaryPoll[], tailMs: number): boolean {
  const started = all.findIndex((p) => p.phase === 'Progressing');
  if (started < 0) return false;
  const end = all.slice(started).find((p) => (TERMINAL_PHASES as readonly string[]).includes(p.phase));
  const last = all.at(-1);
  return end !== undefined && last !== undefined && last.t - end.t >= tailMs;
}
