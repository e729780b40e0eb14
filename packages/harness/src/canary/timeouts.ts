// How long a canary scenario may take, from the Canary's own analysis settings. Flagger acts once per
// `interval`: one to notice the new revision (and run the pre-rollout check), one per weight step
// (blue/green: one per iteration), up to threshold - 1 more while checks fail or have no data yet
// without failing the rollout, then promote, finalise and report Succeeded. A rollback needs the
// detection interval, `threshold` failed checks and one to scale the canary down. Flux adds the time
// to fetch the published commit and apply it; the slack covers pods starting and poll granularity.
import type { Canary } from '@meshproof/spec';

export const FLUX_APPLY_MS = 2 * 60_000;
export const SLACK_MS = 3 * 60_000;

export interface ScenarioTimeout {
  ms: number;
  /** The formula with its numbers, printed in the plan. */
  why: string;
}

const fmt = (ms: number) => {
  const s = Math.round(ms / 1000);
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${s % 60 ? `${s % 60}s` : ''}` : `${s}s`;
};

export const analysisSteps = (c: Canary): number => Math.ceil(c.maxWeight / c.stepWeight);

function timeout(c: Canary, intervals: number, parts: string): ScenarioTimeout {
  const ms = c.intervalSeconds * 1000 * intervals + FLUX_APPLY_MS + SLACK_MS;
  return {
    ms,
    why: `${fmt(ms)} = interval ${c.intervalSeconds}s × ${intervals} (${parts}) + ${fmt(FLUX_APPLY_MS)} Flux fetch and apply + ${fmt(SLACK_MS)} slack`,
  };
}

export function promotionTimeout(c: Canary): ScenarioTimeout {
  const steps = analysisSteps(c);
  return timeout(
    c,
    1 + steps + (c.threshold - 1) + 3,
    `1 detect + ${steps} steps + ${c.threshold - 1} tolerated failed checks + 3 promote/finalise/succeed`,
  );
}

export function rollbackTimeout(c: Canary): ScenarioTimeout {
  return timeout(c, 1 + c.threshold + 1, `1 detect + ${c.threshold} failed checks + 1 scale down`);
}

/** Bound on waiting for the Canary to be Initialized (or Succeeded) before a rollout starts. */
export const READY_WAIT_MS = 5 * 60_000;
