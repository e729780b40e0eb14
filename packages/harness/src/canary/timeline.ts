// Flagger's progress as the runner saw it: polls of the Canary's status.phase and status.canaryWeight,
// folded into steps. A step's observation window is conservative at both ends: it opens `settleMs`
// after the first poll that showed the weight (the mesh needs a moment to push the new split to every
// proxy) and closes at the last poll that still showed it (the next change happened at an unknown
// moment after that poll, so the samples between the two polls belong to neither step).

export interface CanaryPoll {
  /** Milliseconds since the epoch. */
  t: number;
  /** status.phase, e.g. Initialized, Progressing, Promoting, Finalising, Succeeded, Failed. */
  phase: string;
  /** status.canaryWeight in percent (0 when absent). */
  weight: number;
  /** status.failedChecks, when present. */
  failedChecks?: number;
}

export interface WeightStep {
  phase: string;
  /** Percent of requests Flagger told the router to send to the canary. */
  weight: number;
  firstSeen: number;
  lastSeen: number;
  /** The samples this step judges: t in [windowStart, windowEnd]. Empty when windowEnd < windowStart. */
  windowStart: number;
  windowEnd: number;
}

export const DEFAULT_SETTLE_MS = 3000;

/** Consecutive polls with the same phase and weight become one step, in time order. */
export function weightSteps(polls: readonly CanaryPoll[], settleMs = DEFAULT_SETTLE_MS): WeightStep[] {
  const sorted = [...polls].sort((a, b) => a.t - b.t);
  const steps: WeightStep[] = [];
  for (const p of sorted) {
    if (!Number.isFinite(p.weight) || p.weight < 0 || p.weight > 100) {
      throw new RangeError(`canary weight must be 0..100; got ${p.weight} at ${new Date(p.t).toISOString()}`);
    }
    const last = steps.at(-1);
    if (last && last.phase === p.phase && last.weight === p.weight) {
      last.lastSeen = p.t;
      last.windowEnd = p.t;
    } else {
      steps.push({
        phase: p.phase,
        weight: p.weight,
        firstSeen: p.t,
        lastSeen: p.t,
        windowStart: p.t + settleMs,
        windowEnd: p.t,
      });
    }
  }
  return steps;
}

export const windowMs = (s: WeightStep): number => Math.max(0, s.windowEnd - s.windowStart);

/** The samples inside a step's window; `samples` must be sorted by time. */
export function inWindow<T extends { t: number }>(samples: readonly T[], s: WeightStep): T[] {
  const out: T[] = [];
  for (const x of samples) {
    if (x.t > s.windowEnd) break;
    if (x.t >= s.windowStart) out.push(x);
  }
  return out;
}
