import type { IHelmRelease } from '@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2/HelmRelease';
import type { IHelmRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/HelmRepository';
import { FLUX_NAMESPACE, PRUNE_DISABLED } from './annotations.ts';

/** A Helm chart repository, kept in flux-system so every HelmRelease can reference it. */
export function helmRepository(name: string, url: string): IHelmRepository {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'HelmRepository',
    metadata: { name, namespace: FLUX_NAMESPACE },
    spec: { url, interval: '1h' },
  };
}

export interface ReleaseOptions {
  name: string;
  namespace: string;
  repository: string;
  chart: string;
  /** Exact chart version; ranges are refused so a render is a reproducible rollout. */
  version: string;
  values?: Record<string, unknown>;
  dependsOn?: string[];
  /**
   * What Helm does with the chart's crds/ folder. `CreateReplace` keeps CRDs in step with the chart;
   * charts that template their CRDs ignore this, so it is always set to say so explicitly.
   */
  crds?: 'Create' | 'CreateReplace' | 'Skip';
  /** The release owns CRDs: uninstalling it would delete every custom resource, so Flux must not prune it. */
  ownsCrds?: boolean;
  timeout?: string;
}

const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

export function helmRelease(o: ReleaseOptions): IHelmRelease {
  if (!EXACT_VERSION.test(o.version))
    throw new Error(`chart ${o.chart}: version "${o.version}" is not an exact version`);
  const crds = o.crds ?? 'CreateReplace';
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: {
      name: o.name,
      namespace: o.namespace,
      ...(o.ownsCrds ? { annotations: { ...PRUNE_DISABLED } } : {}),
    },
    spec: {
      interval: '30m',
      timeout: o.timeout ?? '10m',
      releaseName: o.name,
      chart: {
        spec: {
          chart: o.chart,
          version: o.version,
          sourceRef: { kind: 'HelmRepository', name: o.repository, namespace: FLUX_NAMESPACE },
          interval: '12h',
        },
      },
      dependsOn: o.dependsOn?.map((name) => ({ name })),
      install: { crds: crds === 'CreateReplace' ? 'Create' : crds, remediation: { retries: 3 } },
      upgrade: { crds, cleanupOnFail: true, remediation: { retries: 3, strategy: 'rollback' } },
      // An empty values block is noise in review; leave it out.
      values: o.values && Object.keys(o.values).length > 0 ? o.values : undefined,
    },
  };
}
