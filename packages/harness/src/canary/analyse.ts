// From one observed rollout to the verdicts: weight steps, the split check on a healthy canary, and
// the blast radius of a faulty one.
import { type BlastRadius, blastRadius, type Fault } from './blast-radius.ts';
import type { Observation } from './observe.ts';
import { type SplitOptions, type SplitReport, splitReport } from './split.ts';
import { DEFAULT_SETTLE_MS, type WeightStep, weightSteps } from './timeline.ts';

export interface RolloutAnalysis {
  steps: WeightStep[];
  split: SplitReport;
  /** Only for a faulty canary (fault given). */
  blast?: BlastRadius;
  /** Answers the client got, errors among them, and fanout requests that got no usable answer. */
  totals: { samples: number; errors: number; clientFailures: number };
}

export function analyseRollout(
  obs: Observation,
  o: SplitOptions & { fault?: Fault; settleMs?: number },
): RolloutAnalysis {
  const steps = weightSteps(obs.polls, o.settleMs ?? DEFAULT_SETTLE_MS);
  const samples = obs.sampler.samples;
  return {
    steps,
    // With a faulty canary, mesh retries move failed calls to whichever version answers the retry, so
    // the share of answers need not be the weight: the split is shown, judged only on healthy rollouts.
    split: splitReport(samples, steps, o.fault ? { ...o, phases: [] } : o),
    ...(o.fault
      ? {
          blast: blastRadius(
            samples,
            steps.filter((s) => s.phase === 'Progressing'),
            o.fault,
          ),
        }
      : {}),
    totals: {
      samples: samples.length,
      errors: samples.filter((s) => !s.ok).length,
      clientFailures: obs.sampler.failures.length,
    },
  };
}
