import { FLUX_NAMESPACE } from './annotations.ts';

/**
 * The source every layer Kustomization reads. The sync template creates it from the spec's
 * cluster.git; a local harness may create an OCIRepository of the same name instead and patch the kind.
 */
export const CLUSTER_SOURCE = {
  kind: 'GitRepository',
  name: 'flux-system',
  namespace: FLUX_NAMESPACE,
} as const;
