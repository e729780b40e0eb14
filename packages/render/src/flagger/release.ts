import { helmRelease, helmRepository } from '../flux/helm.ts';
import type { MeshPlugin } from '../mesh.ts';
import type { K8sObject, Metadata } from '../model.ts';
import { prometheusUrl } from '../observability/endpoints.ts';
import { FLAGGER } from '../versions.ts';
import { namespace } from '../workload/namespace.ts';
import { FLAGGER_SERVICE_ACCOUNT } from './loadtester.ts';

export const FLAGGER_NAMESPACE = 'flagger-system';

/**
 * Flagger with the mesh's provider, reading request metrics from the platform Prometheus. `pod`: what
 * the mesh adds to Flagger's pods to enrol them (`platformPodMetadata`), so that the loadtesters and
 * Prometheus can admit Flagger by its identity, ServiceAccount FLAGGER_SERVICE_ACCOUNT. Helm merges
 * these maps into the chart's default podLabels/podAnnotations.
 */
export function flaggerObjects(mesh: MeshPlugin, pod: Metadata): K8sObject[] {
  return [
    namespace(FLAGGER_NAMESPACE, 'baseline'),
    helmRepository('flagger', FLAGGER.helmRepo),
    helmRelease({
      name: 'flagger',
      namespace: FLAGGER_NAMESPACE,
      repository: 'flagger',
      chart: 'flagger',
      version: FLAGGER.version,
      // The chart ships its CRDs in crds/; keep them in step with the chart on upgrades.
      crds: 'CreateReplace',
      ownsCrds: true,
      values: {
        meshProvider: mesh.flagger.provider,
        metricsServer: prometheusUrl,
        prometheus: { install: false },
        // The chart's default name (its fullname for release `flagger`), set so policies can rely on it.
        serviceAccount: { create: true, name: FLAGGER_SERVICE_ACCOUNT },
        ...(Object.keys(pod.labels).length > 0 ? { podLabels: pod.labels } : {}),
        ...(Object.keys(pod.annotations).length > 0 ? { podAnnotations: pod.annotations } : {}),
      },
    }),
  ];
}
