export { contains, type Interval, wilson, zFor } from './binomial.ts';
export {
  type BlastRadius,
  blastRadius,
  type Fault,
  type Prediction,
  predictErrorRate,
  type StepBlast,
} from './blast-radius.ts';
export { type FanoutBody, fromFanout, parseFanout, type Sample } from './samples.ts';
export {
  pct,
  type SplitOptions,
  type SplitReport,
  type SplitStatus,
  type StepSplit,
  splitReport,
} from './split.ts';
export {
  type CanaryPoll,
  DEFAULT_SETTLE_MS,
  inWindow,
  type WeightStep,
  weightSteps,
  windowMs,
} from './timeline.ts';
