import { flaggerServiceRefs, needsServiceRoute, serviceRoute } from '../gateway/service-route.ts';
import type { MeshPlugin } from '../mesh.ts';
import { emptyMetadata, type K8sObject } from '../model.ts';
import { appNamespaces } from '../workload/names.ts';
import { ciliumCaveats, ciliumPermissive } from './caveats.ts';
import { TLSROUTE_V1ALPHA2_PATCH } from './gateway-api.ts';
import { ciliumMemory } from './memory.ts';
import { appPolicy, ingressPolicy, loadtesterPolicy, namespaceDefaultDeny } from './policies.ts';
import { ciliumRelease, preFluxSteps, valuesFile } from './release.ts';
import { ciliumOptions } from './values.ts';
import { ciliumZeroTrust } from './zero-trust.ts';

/**
 * Cilium 1.19 as CNI and mesh: kube-proxy replacement, SPIRE mutual authentication and WireGuard per
 * spec, identity-aware L3-L7 CiliumNetworkPolicies, GAMMA routing through its Gateway API support.
 */
export const cilium: MeshPlugin = {
  id: 'cilium',
  // The operator registers Cilium's CRDs; Gateway API CRDs come from the shared layer (patched below).
  crds: () => [],
  controllers: () => ciliumRelease(),
  configs: ({ platform }) =>
    platform.security.defaultDeny ? appNamespaces(platform).map((ns) => namespaceDefaultDeny(ns)) : [],
  namespaceMetadata: () => emptyMetadata(),
  podMetadata: () => emptyMetadata(),
  appObjects: ({ platform, cluster }, app) => {
    const objects: K8sObject[] = [];
    if (platform.security.defaultDeny) {
      const p = appPolicy(platform, app, ciliumOptions(cluster).mutualAuth);
      if (p) objects.push(p);
    }
    // Gateway API standard has no retries; Cilium's GAMMA support applies splits, matches and timeouts.
    const route = needsServiceRoute(app) ? serviceRoute(app) : undefined;
    if (route) objects.push(route);
    return objects;
  },
  loadtester: ({ platform }, ns) => (platform.security.defaultDeny ? [loadtesterPolicy(platform, ns)] : []),
  // Cilium's own Gateway API controller (gatewayAPI.enabled) serves the `cilium` GatewayClass.
  ingress: {
    gatewayClassName: 'cilium',
    allow: ({ platform }, app) => {
      const p = platform.security.defaultDeny ? ingressPolicy(app) : undefined;
      return p ? [p] : [];
    },
  },
  caveats: (_ctx, app) => ciliumCaveats(app),
  permissiveMtls: () => ciliumPermissive,
  // The node agent (WireGuard, policy) and the node's Envoy DaemonSet container.
  dataPlaneComponent: ({ container }) =>
    container === 'cilium-agent' || container === 'cilium-envoy' ? container : undefined,
  zeroTrust: ciliumZeroTrust,
  memory: ciliumMemory,
  preFlux: ({ cluster }) => preFluxSteps(cluster),
  flagger: {
    provider: 'gatewayapi:v1',
    weightedTraffic: true,
    service: (_ctx, app) => flaggerServiceRefs(app),
  },
  // Cilium replaces both kindnet and kube-proxy.
  kindNetworking: () => ({ disableDefaultCNI: true, kubeProxyMode: 'none' }),
  gatewayApiPatches: () => [TLSROUTE_V1ALPHA2_PATCH],
  files: ({ cluster }) => [valuesFile(cluster)],
};
