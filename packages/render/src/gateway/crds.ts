import type { IKustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization';
import type { IGitRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/GitRepository';
import { FLUX_NAMESPACE, PRUNE_DISABLED } from '../flux/annotations.ts';
import type { GatewayApiPatch } from '../mesh.ts';
import type { K8sObject } from '../model.ts';
import { GATEWAY_API } from '../versions.ts';

/**
 * Gateway API CRDs (standard channel) straight from the upstream tag, not vendored: Flux fetches the
 * tag and applies config/crd/standard. Every mesh and Flagger route through these CRDs.
 */
export function gatewayApiCrds(patches: GatewayApiPatch[] = []): K8sObject[] {
  const name = 'gateway-api';
  const source: IGitRepository = {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name, namespace: FLUX_NAMESPACE },
    spec: { interval: '24h', url: GATEWAY_API.gitUrl, ref: { tag: GATEWAY_API.version } },
  };
  const apply: IKustomization = {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: `${name}-crds`, namespace: FLUX_NAMESPACE },
    spec: {
      interval: '1h',
      // Without it a failed apply or health check waits a full interval, and every layer waits on it.
      retryInterval: '1m',
      timeout: '5m',
      path: GATEWAY_API.path,
      prune: true,
      wait: true,
      sourceRef: { kind: 'GitRepository', name },
      patches: patches.length > 0 ? patches : undefined,
      // Deleting a CRD deletes every route and gateway of that kind.
      commonMetadata: { annotations: { ...PRUNE_DISABLED } },
    },
  };
  return [source, apply];
}
