import type { App } from '@meshproof/spec';
import { flaggerServiceRefs, needsServiceRoute, serviceRoute } from '../gateway/service-route.ts';
import type { MeshContext, MeshPlugin } from '../mesh.ts';
import { emptyMetadata, type K8sObject } from '../model.ts';
import { duration } from '../units.ts';
import {
  appNamespaces,
  appsIn,
  hasCanary,
  hasVersionServices,
  serviceHost,
  versionServiceName,
} from '../workload/names.ts';
import { allowPrometheus, denyAll, loadtesterFromFlagger, meshMtls, selectorAllow } from './authorization.ts';
import { ambientCaveats, istioPermissive } from './caveats.ts';
import { ambientControlPlane } from './control-plane.ts';
import { ambientIngress, INGRESS_USE_WAYPOINT } from './ingress.ts';
import { ambientMemory } from './memory.ts';
import { principal } from './principals.ts';
import { destinationRule, trafficPolicy } from './traffic-policy.ts';
import { istioRouting } from './virtual-service.ts';
import {
  allowFromWaypoint,
  usesWaypoint,
  WAYPOINT,
  waypoint,
  waypointAllow,
  waypointDenyAll,
} from './waypoint.ts';
import { ambientZeroTrust } from './zero-trust.ts';

const AMBIENT = { 'istio.io/dataplane-mode': 'ambient' };

function namespaceConfigs(ctx: MeshContext, ns: string): K8sObject[] {
  const waypoints = usesWaypoint(ctx) ? [waypoint(ns)] : [];
  // Without default deny no policy selects the namespace (any ALLOW policy would deny the rest).
  if (!ctx.platform.security.defaultDeny) return waypoints;
  const objects: K8sObject[] = [denyAll(ns)];
  if (ctx.platform.observability.prometheus) objects.push(...allowPrometheus(ctx.platform, ns));
  if (usesWaypoint(ctx)) objects.push(...waypoints, waypointDenyAll(ns), allowFromWaypoint(ns));
  return objects;
}

// Connection pools and outlier detection apply per destination host, i.e. per backend Service.
function backendHosts(app: App): string[] {
  const host = (name: string) => `${name}.${app.namespace}.svc.cluster.local`;
  if (hasCanary(app)) return [host(`${app.name}-primary`), host(`${app.name}-canary`)];
  if (hasVersionServices(app)) return app.versions.map((v) => host(versionServiceName(app, v)));
  return [serviceHost(app)];
}

/**
 * Routing and resilience. HTTPRoute (GAMMA) is the default; an app needing retries or fault injection,
 * which the standard-channel HTTPRoute lacks, gets an Istio VirtualService on the waypoint instead
 * (never both for one Service: mixing them is undefined). Under a canary Flagger owns the HTTPRoute.
 */
function routing(ctx: MeshContext, app: App): K8sObject[] {
  const needsIstioApi = app.faults !== undefined || app.resilience.retries !== undefined;
  if (hasCanary(app) && app.faults) {
    throw new Error(`${app.name}: mesh fault injection cannot be combined with a canary on istio-ambient`);
  }
  if (app.faults && !usesWaypoint(ctx)) {
    throw new Error(`${app.name}: fault injection on istio-ambient needs a waypoint (istio.waypoint: true)`);
  }
  if (!hasCanary(app) && needsIstioApi && usesWaypoint(ctx)) return istioRouting(app);
  const policy = trafficPolicy(app);
  const rules = policy
    ? backendHosts(app).map((host) => destinationRule(app, host.split('.')[0] ?? app.name, host, policy))
    : [];
  const route = usesWaypoint(ctx) && needsServiceRoute(app) ? serviceRoute(app) : undefined;
  return [...rules, ...(route ? [route] : [])];
}

/** Istio ambient: ztunnel for mTLS and L4 identity, a waypoint per namespace for L7 policy and routing. */
export const istioAmbient: MeshPlugin = {
  id: 'istio',
  crds: () => [],
  controllers: () => ambientControlPlane(),
  configs: (ctx) => [
    meshMtls(ctx.platform),
    ...appNamespaces(ctx.platform).flatMap((ns) => namespaceConfigs(ctx, ns)),
  ],
  namespaceMetadata: (ctx, ns) => ({
    labels: {
      ...AMBIENT,
      ...(usesWaypoint(ctx) ? { 'istio.io/use-waypoint': WAYPOINT } : {}),
      ...(usesWaypoint(ctx) && appsIn(ctx.platform, ns).some((a) => a.expose) ? INGRESS_USE_WAYPOINT : {}),
    },
    annotations: {},
  }),
  // STRICT mTLS on ztunnel refuses plaintext scrapes: the Prometheus pods join the mesh. So do its
  // clients, Flagger and Grafana: Prometheus then accepts mTLS only, and the loadtesters admit
  // Flagger by its principal. A pod label enrols a single pod (no waypoint: flagger-system and
  // monitoring have none).
  platformPodMetadata: () => ({ labels: { ...AMBIENT }, annotations: {} }),
  podMetadata: () => emptyMetadata(),
  appObjects: (ctx, app) => [
    ...(!ctx.platform.security.defaultDeny
      ? []
      : usesWaypoint(ctx)
        ? waypointAllow(ctx.platform, app)
        : selectorAllow(ctx.platform, app, false)),
    ...routing(ctx, app),
  ],
  // ztunnel enforces the rules on the loadtester pods (L4); a waypoint, when used, the Service's (L7).
  loadtester: (ctx, ns) =>
    ctx.platform.security.defaultDeny
      ? loadtesterFromFlagger(ns, false, usesWaypoint(ctx) ? principal(ns, WAYPOINT) : undefined)
      : [],
  ingress: ambientIngress,
  // Without a waypoint only ztunnel (L4) sits in the path: nothing routes by version.
  versionRouting: usesWaypoint,
  caveats: ambientCaveats,
  permissiveMtls: ({ platform }) => istioPermissive('ztunnel', platform.security.defaultDeny),
  // The node proxy ztunnel, and waypoints (istio-proxy in a pod labelled gateway.istio.io/managed).
  dataPlaneComponent: ({ pod, container, labels }) =>
    pod.startsWith('ztunnel-') || container === 'ztunnel'
      ? 'ztunnel'
      : container === 'istio-proxy' && labels['gateway.istio.io/managed']
        ? 'waypoint'
        : undefined,
  zeroTrust: ambientZeroTrust,
  memory: ambientMemory,
  flagger: {
    provider: 'gatewayapi:v1',
    weightedTraffic: true,
    service: (_ctx, app) => ({
      ...flaggerServiceRefs(app),
      ...(app.resilience.timeoutMs === undefined ? {} : { timeout: duration(app.resilience.timeoutMs) }),
    }),
  },
};
