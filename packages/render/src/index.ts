export { type ClusterCaveat, formatCaveat, renderCaveats } from './caveats.ts';
export { LAYER_DIR, LAYERS, type Layer, OPTIONAL_LAYERS } from './layout.ts';
export type {
  DenyClass,
  FlaggerSupport,
  L7DenySignature,
  MemoryPart,
  MemoryShape,
  MeshContext,
  MeshPlugin,
  PreFluxCommand,
  ZeroTrustFacts,
} from './mesh.ts';
export { PLANNING_ESTIMATE } from './mesh.ts';
export { knownDenySignatures, meshPlugin } from './meshes.ts';
export type { FileTree, K8sObject, Metadata } from './model.ts';
export { preFluxSteps } from './pre-flux.ts';
export { renderPlatform } from './render.ts';
export { renderCluster } from './render-cluster.ts';
export { shellJoin } from './shell.ts';
export { FLUX, KIND } from './versions.ts';
export {
  APP_LABEL,
  appNamespaces,
  type Caller,
  callersOf,
  serviceAccountName,
  serviceHost,
  servingWorkload,
} from './workload/names.ts';
export { namespace as podSecurityNamespace } from './workload/namespace.ts';
export {
  type Drift,
  diffDir,
  flatten,
  isClean,
  RenderWriteError,
  renderTargetProblem,
  replaceDir,
} from './write.ts';
