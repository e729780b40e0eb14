export { type ClusterCaveat, formatCaveat, renderCaveats } from './caveats.ts';
export { LAYER_DIR, LAYERS, type Layer } from './layout.ts';
export type { FlaggerSupport, MeshContext, MeshPlugin } from './mesh.ts';
export { meshPlugin } from './meshes.ts';
export type { FileTree, K8sObject, Metadata } from './model.ts';
export { preFluxSteps } from './pre-flux.ts';
export { renderPlatform } from './render.ts';
export { renderCluster } from './render-cluster.ts';
export { FLUX, KIND } from './versions.ts';
export {
  type Drift,
  diffDir,
  flatten,
  isClean,
  RenderWriteError,
  renderTargetProblem,
  replaceDir,
} from './write.ts';
