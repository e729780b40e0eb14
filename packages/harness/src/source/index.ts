// The flux-system source of a run: this checkout as it is, served read-only over Git smart HTTP
// from a container on the kind network. See steps.ts for how the runner uses it.
export { type Exec, hostExec } from './exec.ts';
export {
  type ApplyObject,
  type FluxSync,
  fluxRevision,
  fluxSyncFrom,
  readFluxSync,
  syncFile,
} from './flux-sync.ts';
export {
  buildImageArgv,
  REPO_NAME,
  SOURCE_IMAGE,
  SOURCE_PORT,
  sourceContainerName,
  sourceUrl,
  startSourceServer,
  stopSourceServer,
} from './server.ts';
export { copySnapshot, publishChange, readPublished, type Snapshot, snapshotCheckout } from './snapshot.ts';
export {
  KIND_NETWORK,
  sourceImageStep,
  sourceRepoPath,
  sourceSnapshotStep,
  sourceStartStep,
  sourceStopStep,
  sourceSyncStep,
} from './steps.ts';
export { SOURCE_TASKS } from './tasks.ts';
