import type { Cluster } from '@meshproof/spec';
import { helmRelease, helmRepository, type ReleaseOptions } from '../flux/helm.ts';
import type { K8sObject } from '../model.ts';
import { CERT_MANAGER, LINKERD, TRUST_MANAGER } from '../versions.ts';
import { namespace } from '../workload/namespace.ts';
import { CERT_MANAGER_NAMESPACE, CONTROL_PLANE_LABEL, LINKERD_NAMESPACE } from './certificates.ts';

export const CNI_NAMESPACE = 'linkerd-cni';
export const VIZ_NAMESPACE = 'linkerd-viz';
const JETSTACK = 'jetstack';
const LINKERD_REPO = 'linkerd-edge';

// Webhooks must not intercept their own namespace (the control plane's labels from the chart's CLI manifests).
const NO_WEBHOOKS = { 'config.linkerd.io/admission-webhooks': 'disabled' };

/** Charts that ship the CRDs the Linkerd overlay uses: cert-manager, trust-manager, linkerd-crds. */
export function crdReleases(): K8sObject[] {
  return [
    // Infrastructure namespaces enforce `baseline`: these charts are not verified against `restricted`.
    namespace(CERT_MANAGER_NAMESPACE, 'baseline'),
    namespace(LINKERD_NAMESPACE, 'baseline', {
      labels: { ...CONTROL_PLANE_LABEL, ...NO_WEBHOOKS, 'linkerd.io/control-plane-ns': LINKERD_NAMESPACE },
      annotations: {},
    }),
    helmRepository(JETSTACK, CERT_MANAGER.helmRepo),
    helmRepository(LINKERD_REPO, LINKERD.helmRepo),
    helmRelease({
      name: 'cert-manager',
      namespace: CERT_MANAGER_NAMESPACE,
      repository: JETSTACK,
      chart: 'cert-manager',
      version: CERT_MANAGER.version,
      // The chart templates its CRDs when crds.enabled (the Linkerd guide's setting); Flux never
      // prunes this release, since uninstalling it would delete every Certificate.
      values: { crds: { enabled: true } },
      ownsCrds: true,
    }),
    helmRelease({
      name: 'trust-manager',
      namespace: CERT_MANAGER_NAMESPACE,
      repository: JETSTACK,
      chart: 'trust-manager',
      version: TRUST_MANAGER.version,
      // Bundles may read Secrets from this namespace only: the trust anchor lives here.
      values: { app: { trust: { namespace: CERT_MANAGER_NAMESPACE } } },
      dependsOn: ['cert-manager'],
      ownsCrds: true,
    }),
    // Gateway API CRDs come from the shared gateway-api layer (v1.5.1); the chart's bundled older
    // copies would be refused by that bundle's safe-upgrades admission policy.
    linkerdChart(
      'linkerd-crds',
      'linkerd-crds',
      LINKERD_NAMESPACE,
      { installGatewayAPI: false },
      { ownsCrds: true },
    ),
  ];
}

/**
 * Every Linkerd release object lives in the linkerd namespace, because HelmRelease `dependsOn` only
 * looks in its own namespace; the CNI and viz charts install into their own namespaces.
 */
function linkerdChart(
  name: string,
  chart: string,
  target: string,
  values: Record<string, unknown>,
  more: Partial<ReleaseOptions> = {},
) {
  const release = helmRelease({
    name,
    namespace: LINKERD_NAMESPACE,
    repository: LINKERD_REPO,
    chart,
    version: LINKERD.chartVersion,
    values,
    ...more,
  });
  return target === LINKERD_NAMESPACE
    ? release
    : { ...release, spec: { ...release.spec, targetNamespace: target } };
}

/**
 * Requests for every injected proxy. Linkerd 2.20 injects the proxy as a native sidecar and leaves
 * its requests empty (charts/linkerd-control-plane/values.yaml at version-2.20: proxy.nativeSidecar
 * true, proxy.resources.*.request ""), and an HPA on CPU utilization gives up on a pod with any
 * container lacking a CPU request. 20m stays within runtime.workers.minimum (1 core), as the chart
 * asks; the memory limit leaves room for the benchmark's load.
 */
export const PROXY_RESOURCES = {
  cpu: { request: '20m' },
  memory: { request: '32Mi', limit: '256Mi' },
} as const;

/** CNI plugin, control plane (issuer from cert-manager) and optional viz. */
export function controlPlaneReleases(cluster: Cluster, defaultInboundPolicy: string): K8sObject[] {
  const objects: K8sObject[] = [
    // The CNI DaemonSet writes host CNI config, so only its own namespace is privileged; in exchange
    // meshed pods need no NET_ADMIN init container and app namespaces stay `restricted`.
    namespace(CNI_NAMESPACE, 'privileged', {
      labels: { 'linkerd.io/cni-resource': 'true', ...NO_WEBHOOKS },
      annotations: {},
    }),
    // repairController restarts pods that started before the plugin was in place on their node.
    linkerdChart('linkerd-cni', 'linkerd2-cni', CNI_NAMESPACE, { repairController: { enabled: true } }),
    linkerdChart(
      'linkerd-control-plane',
      'linkerd-control-plane',
      LINKERD_NAMESPACE,
      {
        cniEnabled: true,
        // The trust roots ConfigMap comes from trust-manager, the issuer Secret from cert-manager.
        identity: { externalCA: true, issuer: { scheme: 'kubernetes.io/tls' } },
        proxy: { defaultInboundPolicy, resources: PROXY_RESOURCES },
      },
      { dependsOn: ['linkerd-crds', 'linkerd-cni'] },
    ),
  ];
  if (cluster.linkerd?.viz) {
    objects.push(
      namespace(VIZ_NAMESPACE, 'baseline', {
        labels: { 'linkerd.io/extension': 'viz' },
        annotations: { 'linkerd.io/inject': 'enabled', 'config.linkerd.io/proxy-await': 'enabled' },
      }),
      // The namespace (annotated for injection, as the chart's own namespace hook would) is ours;
      // Linkerd's charts only template their namespace for the CLI installer.
      linkerdChart('linkerd-viz', 'linkerd-viz', VIZ_NAMESPACE, {}, { dependsOn: ['linkerd-control-plane'] }),
    );
  }
  return objects;
}
