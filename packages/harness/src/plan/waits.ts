// Flux readiness, layer by layer (crds → controllers → configs → apps): every HelmRelease of a layer,
// then the layer's Kustomization, each bounded by the timeouts the render wrote.
import type { Action, ClusterPlan, Step } from '../step.ts';
import { step } from '../step.ts';
import { formatDuration } from './duration.ts';
import type { FluxWaitTarget, RenderedCluster } from './rendered.ts';

const waitFor = (cluster: ClusterPlan, t: FluxWaitTarget): Action => ({
  type: 'kube',
  op: 'wait',
  target: cluster.target,
  ref: { apiVersion: t.apiVersion, kind: t.kind, namespace: t.namespace, name: t.name },
  condition: 'Ready',
  timeoutMs: t.timeoutMs,
  why: t.bound,
});

export function fluxWaitSteps(cluster: ClusterPlan, rendered: RenderedCluster): Step[] {
  return rendered.layers.map(({ layer, kustomization, helmReleases }) => {
    const targets = [...helmReleases, kustomization];
    // The objects reconcile concurrently in the cluster, so the longest single bound covers the step;
    // a minute more lets the last wait report its own timeout first.
    const timeoutMs = Math.max(...targets.map((t) => t.timeoutMs)) + 60_000;
    const releases = helmReleases.length > 0 ? ` and its ${helmReleases.length} HelmRelease(s)` : '';
    return step({
      id: `${cluster.name}/flux/wait-${layer}`,
      cluster: cluster.name,
      title: `wait for Kustomization ${layer}${releases} to be Ready (up to ${formatDuration(timeoutMs)})`,
      timeoutMs,
      actions: targets.map((t) => waitFor(cluster, t)),
    });
  });
}
