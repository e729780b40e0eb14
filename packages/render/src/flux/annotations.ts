/** Flux keeps objects with this annotation when they leave Git (the docs spell the value `Disabled`). */
export const PRUNE_DISABLED = { 'kustomize.toolkit.fluxcd.io/prune': 'Disabled' } as const;

export const FLUX_NAMESPACE = 'flux-system';
