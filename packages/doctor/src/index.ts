export { allChecks } from './checks/index.ts';
export { type AcceptedFinding, checkCluster, type Report, type RunOptions, runChecks } from './engine.ts';
export { formatJson } from './format/json.ts';
export { formatSarif, toSarif } from './format/sarif.ts';
export { formatText } from './format/text.ts';
export { InputError, loadClusters } from './load.ts';
export type {
  Check,
  ClusterSet,
  Finding,
  Issue,
  K8sObject,
  PodSecurityLevel,
  Severity,
} from './model.ts';
export { IGNORE_ANNOTATION } from './suppress.ts';
