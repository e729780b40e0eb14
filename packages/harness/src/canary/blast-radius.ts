// The blast radius of a bad release: the share of client requests that failed while the canary ran,
// per weight step and in total, against what the weights and the injected fault rate predict.
//
// A request reaches the canary with probability w (the weight) and fails there with probability f
// (FAULT_ERROR_RATE); the primary is healthy. Without retries the client sees w·f. With r retries
// on 5xx in the mesh the answer depends on where a retry goes:
//   - if every attempt is routed afresh by weight, all 1 + r attempts must hit a failing canary: (w·f)^(1+r);
//   - if retries stay on the backend the first attempt picked (Envoy picks a weighted cluster once
//     per request and retries inside it), the request fails only when the canary fails every try: w·f^(1+r).
// The two bound what any mix of the two can give, so the prediction is that range; with r = 0 both are w·f.
import { type Interval, wilson } from './binomial.ts';
import type { Sample } from './samples.ts';
import { inWindow, type WeightStep } from './timeline.ts';

export interface Fault {
  /** Share of the canary's requests answered with an error (0..1). */
  errorRate: number;
  /** Retries on 5xx the mesh applies to these calls (0 when it applies none). */
  retries: number;
}

export interface Prediction {
  /** Without retries. */
  noRetry: number;
  /** The range retries allow (equal to noRetry when retries = 0). */
  low: number;
  high: number;
}

export function predictErrorRate(weightPercent: number, fault: Fault): Prediction {
  const w = weightPercent / 100;
  const f = fault.errorRate;
  if (!(f >= 0 && f <= 1)) throw new RangeError(`fault error rate must be 0..1; got ${f}`);
  if (!Number.isInteger(fault.retries) || fault.retries < 0) {
    throw new RangeError(`retries must be a whole number >= 0; got ${fault.retries}`);
  }
  const tries = 1 + fault.retries;
  return { noRetry: w * f, low: (w * f) ** tries, high: w * f ** tries };
}

/** Errors the client saw against the prediction, for one step or the whole rollout. */
export interface BlastTally {
  samples: number;
  errors: number;
  rate: number;
  ci: Interval;
  predicted: Prediction;
  /** The observed interval overlaps the predicted range. */
  consistent: boolean;
}

export interface StepBlast extends BlastTally {
  step: WeightStep;
}

export interface BlastRadius {
  steps: StepBlast[];
  total: BlastTally;
}

const overlaps = (ci: Interval, p: Prediction) => ci.low <= p.high && ci.high >= p.low;

/** Per-step and total error rates for the steps given (usually the Progressing ones). */
export function blastRadius(
  samples: readonly Sample[],
  steps: readonly WeightStep[],
  fault: Fault,
  level = 0.95,
): BlastRadius {
  const sorted = [...samples].sort((a, b) => a.t - b.t);
  const rows = steps.map((step): StepBlast => {
    const inside = inWindow(sorted, step);
    const errors = inside.filter((x) => !x.ok).length;
    const ci = wilson(errors, inside.length, level);
    const predicted = predictErrorRate(step.weight, fault);
    return {
      step,
      samples: inside.length,
      errors,
      rate: inside.length === 0 ? Number.NaN : errors / inside.length,
      ci,
      predicted,
      consistent: inside.length > 0 && overlaps(ci, predicted),
    };
  });
  const n = rows.reduce((a, r) => a + r.samples, 0);
  const e = rows.reduce((a, r) => a + r.errors, 0);
  // The total prediction weighs each step by how many requests the client sent during it.
  const mix = (k: keyof Prediction) =>
    n === 0 ? 0 : rows.reduce((a, r) => a + r.samples * r.predicted[k], 0) / n;
  const predicted = { noRetry: mix('noRetry'), low: mix('low'), high: mix('high') };
  const ci = wilson(e, n, level);
  return {
    steps: rows,
    total: {
      samples: n,
      errors: e,
      rate: n === 0 ? Number.NaN : e / n,
      ci,
      predicted,
      consistent: n > 0 && overlaps(ci, predicted),
    },
  };
}
