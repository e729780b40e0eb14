// The split check: for each weight step, the share of answers from the canary version against the
// weight Flagger set. A step is flagged when the weight lies outside the 95 % Wilson interval of the
// observed share. With several steps per rollout, some honest step is flagged by chance now and
// then (about 5 % each); the verdict therefore fails only on steps outside a Bonferroni-widened
// interval (level 1 - familyAlpha/m for m checked steps), so a run that honours the weights fails
// with probability at most familyAlpha, while a mesh that ignores them is still far outside.
import { contains, type Interval, wilson } from './binomial.ts';
import type { Sample } from './samples.ts';
import { inWindow, type WeightStep, windowMs } from './timeline.ts';

export interface SplitOptions {
  /** The version label the canary pods answer with (e.g. `v2`). */
  canaryVersion: string;
  /** Per-step interval level for the flag; default 0.95. */
  level?: number;
  /** Family-wise false-alarm rate of the verdict over all checked steps; default 0.01. */
  familyAlpha?: number;
  /** A step needs this many versioned answers to be judged; default 50. */
  minSamples?: number;
  /** Steps whose window is shorter than this are transitions, reported but not judged; default 2000. */
  minWindowMs?: number;
  /** Phases whose weight is the split the router applies; default Progressing only. */
  phases?: readonly string[];
}

export type SplitStatus =
  | 'ok' // the weight lies inside the interval
  | 'flagged' // outside the 95 % interval
  | 'too-few-samples' // judged phase and long enough, but the client saw too little
  | 'transition' // too short a window to judge
  | 'not-judged'; // a phase where version labels do not follow the weight (e.g. Promoting)

export interface StepSplit {
  step: WeightStep;
  /** All samples in the window, and those among them with a known version. */
  samples: number;
  versioned: number;
  canary: number;
  errors: number;
  /** canary / versioned, NaN when nothing was versioned. */
  share: number;
  ci: Interval;
  /** The Bonferroni-widened interval the verdict uses. */
  familyCi: Interval;
  status: SplitStatus;
  /** Outside the widened interval: this step fails the verdict. */
  failsVerdict: boolean;
}

export interface SplitReport {
  steps: StepSplit[];
  judged: number;
  flagged: number;
  ok: boolean;
  /** Why the verdict failed, one line per reason. */
  problems: string[];
}

export function splitReport(
  samples: readonly Sample[],
  steps: readonly WeightStep[],
  o: SplitOptions,
): SplitReport {
  const level = o.level ?? 0.95;
  const familyAlpha = o.familyAlpha ?? 0.01;
  const minSamples = o.minSamples ?? 50;
  const minWindowMs = o.minWindowMs ?? 2000;
  const phases = new Set(o.phases ?? ['Progressing']);
  const sorted = [...samples].sort((a, b) => a.t - b.t);
  const judgedPhase = (s: WeightStep) => phases.has(s.phase) && windowMs(s) >= minWindowMs;
  const m = Math.max(1, steps.filter(judgedPhase).length);
  const familyLevel = 1 - familyAlpha / m;

  const rows = steps.map((step): StepSplit => {
    const inside = inWindow(sorted, step);
    const versioned = inside.filter((x) => x.version !== undefined);
    const canary = versioned.filter((x) => x.version === o.canaryVersion).length;
    const n = versioned.length;
    const ci = wilson(canary, n, level);
    const familyCi = wilson(canary, n, familyLevel);
    const expected = step.weight / 100;
    let status: SplitStatus;
    if (!phases.has(step.phase)) status = 'not-judged';
    else if (windowMs(step) < minWindowMs) status = 'transition';
    else if (n < minSamples) status = 'too-few-samples';
    else status = contains(ci, expected) ? 'ok' : 'flagged';
    const judged = status === 'ok' || status === 'flagged';
    return {
      step,
      samples: inside.length,
      versioned: n,
      canary,
      errors: inside.filter((x) => !x.ok).length,
      share: n === 0 ? Number.NaN : canary / n,
      ci,
      familyCi,
      status,
      failsVerdict: judged && !contains(familyCi, expected),
    };
  });

  const problems: string[] = [];
  const judged = rows.filter((r) => r.status === 'ok' || r.status === 'flagged');
  if (judged.length === 0) problems.push(`no step in phase ${[...phases].join('|')} long enough to judge`);
  for (const r of rows) {
    const at = `weight ${r.step.weight} % (${r.step.phase})`;
    if (r.status === 'too-few-samples') {
      problems.push(`${at}: only ${r.versioned} answers with a version, need ${minSamples}`);
    }
    if (r.failsVerdict) {
      problems.push(
        `${at}: canary share ${pct(r.share)} of ${r.versioned}, ${pct(r.familyCi.low)}..${pct(r.familyCi.high)} at ${(familyLevel * 100).toFixed(2)} % confidence excludes the weight`,
      );
    }
  }
  return {
    steps: rows,
    judged: judged.length,
    flagged: rows.filter((r) => r.status === 'flagged').length,
    ok: problems.length === 0,
    problems,
  };
}

export const pct = (x: number): string => (Number.isNaN(x) ? 'n/a' : `${(x * 100).toFixed(1)} %`);
