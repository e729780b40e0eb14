export { analyseRollout, type RolloutAnalysis } from './analyse.ts';
export { contains, type Interval, wilson, zFor } from './binomial.ts';
export {
  type BlastRadius,
  blastRadius,
  type Fault,
  type Prediction,
  predictErrorRate,
  type StepBlast,
} from './blast-radius.ts';
export { type CanaryEvidence, canaryMarkdown, rolloutEvidence } from './evidence.ts';
export { type Observation, observeRollout } from './observe.ts';
export { canaryReleases, changedFiles } from './rollout-change.ts';
export { type FanoutBody, fromFanout, parseFanout, type Sample } from './samples.ts';
export { CANARY_ROLLOUT, type CanaryScenarioInput, canarySteps, type SourceRef } from './scenario.ts';
export {
  pct,
  type SplitOptions,
  type SplitReport,
  type SplitStatus,
  type StepSplit,
  splitReport,
} from './split.ts';
export { CANARY_TASKS } from './tasks.ts';
export {
  type CanaryPoll,
  DEFAULT_SETTLE_MS,
  inWindow,
  type WeightStep,
  weightSteps,
  windowMs,
} from './timeline.ts';
export { promotionTimeout, rollbackTimeout } from './timeouts.ts';
