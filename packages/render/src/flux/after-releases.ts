import type { IHelmRelease } from '@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2/HelmRelease';
import type { K8sObject } from '../model.ts';

const isRelease = (o: K8sObject): o is IHelmRelease & K8sObject =>
  o.apiVersion === 'helm.toolkit.fluxcd.io/v2' && o.kind === 'HelmRelease';

/**
 * Makes every HelmRelease in `objects` wait for every HelmRelease in `before` (by name and namespace).
 * Pods a mesh must capture when they are created (Linkerd injects at admission) would otherwise
 * start unmeshed when their chart wins the race against the mesh's control plane.
 */
export function afterReleases(objects: K8sObject[], before: readonly K8sObject[]): K8sObject[] {
  const refs = before
    .filter(isRelease)
    .map((r) => ({ name: r.metadata?.name ?? '', namespace: r.metadata?.namespace }));
  if (refs.length === 0) return objects;
  return objects.map((o) =>
    isRelease(o) ? { ...o, spec: { ...o.spec, dependsOn: [...(o.spec?.dependsOn ?? []), ...refs] } } : o,
  );
}
