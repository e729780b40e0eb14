import type { IKustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization';
import { LAYER_DIR, LAYERS, type Layer, repoPath } from '../layout.ts';
import { FLUX_NAMESPACE } from './annotations.ts';
import { type HealthCheckExpr, healthCheckExprs } from './health.ts';
import { CLUSTER_SOURCE } from './source.ts';

// Control planes take a while to become healthy on a 2-core kind node; apps wait for them.
const TIMEOUT: Record<Layer, string> = {
  crds: '5m',
  identity: '5m',
  controllers: '15m',
  configs: '5m',
  apps: '10m',
};

/**
 * One Flux Kustomization per layer the cluster has, each depending on the previous one. `wait: true`
 * health-checks everything a layer applied, so CRs are only applied once the CRDs and controllers
 * are ready; `health` adds CEL checks for custom resources kstatus cannot judge.
 */
export function layerKustomizations(
  cluster: string,
  canaries: boolean,
  layers: readonly Layer[] = LAYERS,
  health: Partial<Record<Layer, readonly HealthCheckExpr[]>> = {},
): IKustomization[] {
  return layers.map((layer, i) => {
    const previous = layers[i - 1];
    return {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: layer, namespace: FLUX_NAMESPACE },
      spec: {
        interval: '10m',
        retryInterval: '1m',
        timeout: TIMEOUT[layer],
        path: repoPath(cluster, LAYER_DIR[layer]),
        prune: true,
        wait: true,
        sourceRef: CLUSTER_SOURCE,
        dependsOn: previous ? [{ name: previous }] : undefined,
        healthCheckExprs: healthCheckExprs(layer, canaries, health[layer]),
      },
    };
  });
}
