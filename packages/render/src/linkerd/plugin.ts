import type { Platform } from '@meshproof/spec';
import { flaggerServiceRefs, needsServiceRoute, serviceRoute } from '../gateway/service-route.ts';
import type { MeshPlugin } from '../mesh.ts';
import { emptyMetadata, type K8sObject } from '../model.ts';
import { authorizationObjects, loadtesterFromFlagger } from './authorization.ts';
import { linkerdCaveats, linkerdPermissive } from './caveats.ts';
import { identityCertificates, identityHealthChecks } from './certificates.ts';
import { linkerdMemory } from './memory.ts';
import { platformPodMetadata, prometheusAccess } from './prometheus.ts';
import { controlPlaneReleases, crdReleases } from './releases.ts';
import { retryAnnotations, timeoutAnnotations } from './resilience.ts';
import { linkerdZeroTrust } from './zero-trust.ts';

/**
 * The inbound default for meshed pods. Committed config never uses `audit` (it enforces nothing);
 * with default deny each app port additionally gets a Server that refuses unlisted callers.
 */
export function defaultInboundPolicy(platform: Platform): 'all-authenticated' | 'all-unauthenticated' {
  return platform.security.defaultDeny || platform.security.mtls === 'STRICT'
    ? 'all-authenticated'
    : 'all-unauthenticated';
}

/** Linkerd edge 2.20 with cert-manager-issued identity, linkerd-cni and Gateway API routing. */
export const linkerd: MeshPlugin = {
  id: 'linkerd',
  crds: () => crdReleases(),
  // The identity Deployment and the injector read the issuer Secret and the trust-roots ConfigMap
  // (identity.externalCA): the control plane installs only once cert-manager and trust-manager made them.
  identity: () => ({ objects: identityCertificates(), healthChecks: identityHealthChecks }),
  controllers: ({ platform, cluster }) => controlPlaneReleases(cluster, defaultInboundPolicy(platform)),
  configs: ({ platform }) => prometheusAccess(platform),
  namespaceMetadata: ({ platform }) => ({
    labels: {},
    annotations: {
      'linkerd.io/inject': 'enabled',
      'config.linkerd.io/default-inbound-policy': defaultInboundPolicy(platform),
    },
  }),
  // Prometheus scrapes the apps' /metrics over mTLS; Flagger and Grafana query Prometheus over mTLS.
  platformPodMetadata: (_ctx, component) => platformPodMetadata(component),
  podMetadata: () => emptyMetadata(),
  appObjects: ({ platform }, app) => {
    const objects: K8sObject[] = platform.security.defaultDeny ? authorizationObjects(platform, app) : [];
    const retries = retryAnnotations(app);
    if (needsServiceRoute(app, Object.keys(retries).length > 0)) {
      const route = serviceRoute(app, { annotations: retries });
      if (route) objects.push(route);
    }
    return objects;
  },
  // The webhook runs commands: Flagger's identity alone, whatever the default inbound policy.
  loadtester: (_ctx, ns) => loadtesterFromFlagger(ns),
  caveats: (_ctx, app) => linkerdCaveats(app),
  permissiveMtls: ({ platform }) => linkerdPermissive(platform),
  // The injected proxy container of every meshed pod.
  dataPlaneComponent: ({ container }) => (container === 'linkerd-proxy' ? container : undefined),
  zeroTrust: linkerdZeroTrust,
  memory: linkerdMemory,
  flagger: {
    // Flagger's `linkerd` provider needs SMI TrafficSplit (a legacy extension); Gateway API needs nothing extra.
    provider: 'gatewayapi:v1',
    weightedTraffic: true,
    // Flagger generates the apex Service; Linkerd reads timeouts and retries from its annotations.
    service: (_ctx, app) => {
      const annotations = { ...timeoutAnnotations(app), ...retryAnnotations(app) };
      return {
        ...flaggerServiceRefs(app),
        ...(Object.keys(annotations).length > 0 ? { apex: { annotations } } : {}),
      };
    },
  },
};
