export { APP_MARKER, type Classification, classify, judge, type Outcome, type Verdict } from './classify.ts';
export { KEPT_HEADERS, type RequestEvidence } from './evidence.ts';
export {
  type CallerKind,
  DENIED_PATH,
  type Probe,
  type ProbeSource,
  probeMatrix,
  probeWorkloads,
} from './matrix.ts';
export {
  type AttemptRecord,
  type ExecResult,
  PROBE_RETRY,
  type ProbeResult,
  type ProbeRetry,
  parseExec,
  prove,
} from './prove.ts';
export {
  kubectlTarget,
  PROBE_CLIENT,
  plannedProbe,
  plannedProbes,
  probeArgv,
  ZERO_TRUST_PROBES,
  type ZeroTrustOptions,
  zeroTrustSteps,
} from './steps.ts';
export { ZERO_TRUST_TASKS } from './tasks.ts';
export {
  OUTSIDE_NAMESPACE,
  OUTSIDER,
  PROBE_CONTAINER,
  PROBE_LABEL,
  type ProbeWorkload,
  probeWorkloadObjects,
  STRANGER,
} from './workloads.ts';
