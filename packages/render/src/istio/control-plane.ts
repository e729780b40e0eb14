import { helmRelease, helmRepository } from '../flux/helm.ts';
import type { K8sObject } from '../model.ts';
import { ISTIO } from '../versions.ts';
import { namespace } from '../workload/namespace.ts';

export const ISTIO_NAMESPACE = 'istio-system';
const REPO = 'istio';

// Small requests: the kind clusters run on two cores (istiod asks for 500m/2Gi by default).
const ISTIOD_RESOURCES = { requests: { cpu: '100m', memory: '256Mi' } };
// Our app namespaces enforce Pod Security `restricted`, which requires a seccomp profile on every
// pod; istiod-templated waypoints only get one through this value (istio/istio#51826).
const RESTRICTED_GATEWAYS = { seccompProfile: { type: 'RuntimeDefault' } };

const release = (name: string, chart: string, values: Record<string, unknown>, dependsOn?: string[]) =>
  helmRelease({
    name,
    namespace: ISTIO_NAMESPACE,
    repository: REPO,
    chart,
    version: ISTIO.version,
    values,
    dependsOn,
  });

/**
 * The base chart templates Istio's CRDs (not from crds/), so Helm's CRD policy does not apply to them
 * and uninstalling it deletes every Istio resource: the release is protected from pruning.
 */
function base(): K8sObject {
  return helmRelease({
    name: 'istio-base',
    namespace: ISTIO_NAMESPACE,
    repository: REPO,
    chart: 'base',
    version: ISTIO.version,
    ownsCrds: true,
    values: { defaultRevision: 'default' },
  });
}

// istio-cni and ztunnel need host access: the control-plane namespace is privileged, apps are restricted.
const common = () => [namespace(ISTIO_NAMESPACE, 'privileged'), helmRepository(REPO, ISTIO.helmRepo), base()];

/** Ambient: base → istiod (ambient profile) → cni (ambient profile) → ztunnel, the documented order. */
export function ambientControlPlane(): K8sObject[] {
  return [
    ...common(),
    release(
      'istiod',
      'istiod',
      { profile: 'ambient', resources: ISTIOD_RESOURCES, gateways: RESTRICTED_GATEWAYS },
      ['istio-base'],
    ),
    release('istio-cni', 'cni', { profile: 'ambient' }, ['istiod']),
    release('ztunnel', 'ztunnel', {}, ['istio-cni']),
  ];
}

/**
 * Sidecar: base → istio-cni → istiod with `cni.enabled`, so injected pods get no privileged
 * istio-init container and stay within Pod Security `restricted`.
 */
export function sidecarControlPlane(): K8sObject[] {
  return [
    ...common(),
    release('istio-cni', 'cni', {}, ['istio-base']),
    release(
      'istiod',
      'istiod',
      { cni: { enabled: true }, resources: ISTIOD_RESOURCES, gateways: RESTRICTED_GATEWAYS },
      ['istio-cni'],
    ),
  ];
}
