export { type CacheManifest, type KindEntry, readManifest } from './cache.ts';
export { crdSchemasFromObject, crdSchemasFromYaml, type KindSchema } from './crd.ts';
export { type Fetcher, SyncError, sha256 } from './fetch-source.ts';
export { type Partials, renderHelmTemplate, type TemplateScope } from './helm-template.ts';
export { type LockedSource, loadLock, lockPath, type SchemaLock } from './lock.ts';
export { defaultCacheDir, findMirror, findRepoRoot, MIRROR_ENV } from './mirror.ts';
export { type SyncOptions, type SyncResult, syncSchemas } from './sync.ts';
export {
  type LocalKinds,
  localKinds,
  openValidator,
  type SchemaIssue,
  type SchemaIssueKind,
  type SchemaValidator,
} from './validator.ts';
