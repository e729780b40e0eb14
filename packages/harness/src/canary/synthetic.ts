// Synthetic rollouts with a known answer, for the observer's tests: a seeded random source, a
// Flagger-like weight schedule and a simulated mesh that routes each request by some rule.
import { seededRng } from '@meshproof/bench';
import { analyseRollout } from './analyse.ts';
import { type CanaryEvidence, rolloutEvidence } from './evidence.ts';
import type { Observation } from './observe.ts';
import type { Sample } from './samples.ts';
import type { CanaryPoll } from './timeline.ts';

export interface Rollout {
  seed: number;
  /** Weights Flagger sets in turn while Progressing. */
  weights: readonly number[];
  stepMs?: number;
  pollMs?: number;
  /** Client requests per second. */
  rps?: number;
  /** The probability that the mesh sends a request to the canary when Flagger set `weight`. */
  route?: (weight: number) => number;
  /** The mesh applies a new weight this long after Flagger set it. */
  lagMs?: number;
  /** Canary error rate, retries on error, and whether a retry is routed afresh. */
  canaryErrorRate?: number;
  retries?: number;
  retryReroutes?: boolean;
}

export const honest = (weight: number) => weight / 100;

/** Flagger's timeline (Initialized, one Progressing step per weight, Promoting, Succeeded) and the client's samples. */
export function simulate(r: Rollout): { polls: CanaryPoll[]; samples: Sample[] } {
  const rand = seededRng(r.seed);
  const stepMs = r.stepMs ?? 30_000;
  const pollMs = r.pollMs ?? 2000;
  const rps = r.rps ?? 20;
  const route = r.route ?? honest;
  const lag = r.lagMs ?? 0;
  const t0 = 1_700_000_000_000;
  // Phase changes at known times: [start, phase, weight].
  const changes: [number, string, number][] = [[t0, 'Initialized', 0]];
  r.weights.forEach((w, i) => {
    changes.push([t0 + 10_000 + i * stepMs, 'Progressing', w]);
  });
  const promoteAt = t0 + 10_000 + r.weights.length * stepMs;
  changes.push([promoteAt, 'Promoting', r.weights.at(-1) ?? 0], [promoteAt + stepMs, 'Succeeded', 0]);
  const end = promoteAt + 2 * stepMs;
  const at = (t: number) => {
    let current = changes[0] as [number, string, number];
    for (const c of changes) if (c[0] <= t) current = c;
    return current;
  };
  const polls: CanaryPoll[] = [];
  // Polls start at an offset so they never coincide with a change.
  for (let t = t0 + 700; t < end; t += pollMs) {
    const [, phase, weight] = at(t);
    polls.push({ t, phase, weight });
  }
  const samples: Sample[] = [];
  const f = r.canaryErrorRate ?? 0;
  for (let t = t0; t < end; t += 1000 / rps) {
    const w = at(t - lag)[2];
    const attempt = () => (rand() < route(w) ? 'canary' : 'primary');
    let target = attempt();
    let failed = target === 'canary' && rand() < f;
    for (let i = 0; failed && i < (r.retries ?? 0); i++) {
      if (r.retryReroutes) target = attempt();
      failed = target === 'canary' && rand() < f;
    }
    const version = target === 'canary' ? 'v2' : 'v1';
    // The frontend names the version that answered, also when it answered with an error.
    samples.push({ t, version, ok: !failed });
  }
  return { polls, samples };
}

/** The samples as the sampler would have returned them. */
export const observed = (r: { polls: CanaryPoll[]; samples: Sample[] }): Observation => ({
  polls: r.polls,
  sampler: { samples: r.samples, failures: [], answers: r.samples.length, offsetMs: 0 },
  settled: true,
});

/** The evidence of a healthy promotion v1 → v2 over a simulated rollout, with the given problems. */
export function promotionEvidence(r: Rollout, problems: string[] = []): CanaryEvidence {
  const sim = simulate(r);
  return rolloutEvidence({
    scenario: 'promotion',
    app: 'backend',
    canaryVersion: 'v2',
    previousVersion: 'v1',
    revision: '0123456789abcdef',
    publishedAt: sim.polls[0]?.t ?? 0,
    fetchedAt: null,
    polls: sim.polls,
    servingBefore: 'v1',
    servingAfter: 'v2',
    analysis: analyseRollout(observed(sim), { canaryVersion: 'v2' }),
    fault: null,
    problems,
  });
}
