import { helmRelease, helmRepository } from '../flux/helm.ts';
import type { MeshPlugin } from '../mesh.ts';
import type { K8sObject } from '../model.ts';
import { prometheusUrl } from '../observability/endpoints.ts';
import { FLAGGER } from '../versions.ts';
import { namespace } from '../workload/namespace.ts';

export const FLAGGER_NAMESPACE = 'flagger-system';

/** Flagger with the mesh's provider, reading request metrics from the platform Prometheus. */
export function flaggerObjects(mesh: MeshPlugin): K8sObject[] {
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
      },
    }),
  ];
}
