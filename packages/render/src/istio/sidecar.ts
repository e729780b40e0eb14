import type { App } from '@meshproof/spec';
import type { MeshPlugin } from '../mesh.ts';
import { emptyMetadata, type K8sObject } from '../model.ts';
import { duration } from '../units.ts';
import { appNamespaces, hasCanary } from '../workload/names.ts';
import { denyAll, loadtesterFromFlagger, meshMtls, selectorAllow } from './authorization.ts';
import { envoySuccessRate } from './canary-metrics.ts';
import { istioPermissive, sidecarCaveats } from './caveats.ts';
import { sidecarControlPlane } from './control-plane.ts';
import { sidecarIngress } from './ingress.ts';
import { sidecarMemory } from './memory.ts';
import { canaryTrafficPolicy, retries, trafficPolicy } from './traffic-policy.ts';
import { istioRouting } from './virtual-service.ts';
import { sidecarZeroTrust } from './zero-trust.ts';

const needsRouting = (app: App) =>
  app.versions.length > 1 ||
  app.routes.length > 0 ||
  app.faults !== undefined ||
  app.resilience.timeoutMs !== undefined ||
  app.resilience.retries !== undefined ||
  trafficPolicy(app) !== undefined;

function routing(app: App): K8sObject[] {
  if (hasCanary(app)) {
    // Flagger writes the VirtualService and DestinationRules; the Canary carries the resilience settings.
    if (app.faults)
      throw new Error(
        `${app.name}: Flagger's Istio router has no fault injection; drop faults or the canary`,
      );
    return [];
  }
  return needsRouting(app) ? istioRouting(app) : [];
}

/** Istio with sidecars: Envoy in every app pod enforces mTLS, L7 authorization and routing. */
export const istioSidecar: MeshPlugin = {
  id: 'istio',
  crds: () => [],
  controllers: () => sidecarControlPlane(),
  // Without default deny no namespace denies and no app allows (an ALLOW policy denies the rest).
  configs: ({ platform }) => [
    meshMtls(platform),
    ...(platform.security.defaultDeny ? appNamespaces(platform).map(denyAll) : []),
  ],
  namespaceMetadata: () => ({ labels: { 'istio-injection': 'enabled' }, annotations: {} }),
  // Flagger gets a sidecar (the injector honours the pod label in a namespace without
  // istio-injection), so the loadtesters can admit its principal. Prometheus stays out of the mesh:
  // it scrapes the sidecars' merged metrics port in plaintext, and Flagger's sidecar reaches it in
  // plaintext (auto mTLS). istio-cni keeps the injected pod within flagger-system's Pod Security.
  platformPodMetadata: (_ctx, component) =>
    component === 'flagger'
      ? { labels: { 'sidecar.istio.io/inject': 'true' }, annotations: {} }
      : emptyMetadata(),
  podMetadata: () => emptyMetadata(),
  appObjects: ({ platform }, app) => [
    ...(platform.security.defaultDeny ? selectorAllow(platform, app, true) : []),
    ...routing(app),
  ],
  loadtester: ({ platform }, ns) => (platform.security.defaultDeny ? loadtesterFromFlagger(ns, true) : []),
  ingress: sidecarIngress,
  caveats: (_ctx, app) => sidecarCaveats(app),
  permissiveMtls: ({ platform }) => istioPermissive('each sidecar', platform.security.defaultDeny),
  // The injected istio-proxy container of every meshed pod.
  dataPlaneComponent: ({ container }) => (container === 'istio-proxy' ? 'istio-proxy (sidecar)' : undefined),
  zeroTrust: sidecarZeroTrust,
  memory: sidecarMemory,
  flagger: {
    provider: 'istio',
    weightedTraffic: true,
    service: (_ctx, app) => ({
      timeout: app.resilience.timeoutMs === undefined ? undefined : duration(app.resilience.timeoutMs),
      retries: retries(app),
      trafficPolicy: canaryTrafficPolicy(app),
    }),
    // The sidecars see failures the app never records (503s, refused or reset connections).
    metrics: [envoySuccessRate],
  },
};
