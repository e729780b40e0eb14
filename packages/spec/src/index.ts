export { crossChecks, INGRESS_MESHES, PROBE_NAMES } from './cross-checks.ts';
export { type DerivedName, derivedServiceNames } from './derived-names.ts';
export { formatPath } from './issues.ts';
export { DEFAULT_CONFIG, loadPlatform } from './load.ts';
export { HTTP_METHODS, MESHES, NODE_ROLES, platformSchema } from './schema.ts';
export { didYouMean } from './suggest.ts';
export type * from './types.ts';
export { definePlatform, formatErrors, type ValidationResult, validatePlatform } from './validate.ts';
