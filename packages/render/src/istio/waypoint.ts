import type { IGateway } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway';
import type { IAuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import type { App, Platform } from '@meshproof/spec';
import type { MeshContext } from '../mesh.ts';
import { hasCanary } from '../workload/names.ts';
import { authorizationPolicy } from './authorization.ts';
import { callerRules, principal } from './principals.ts';

export const WAYPOINT = 'waypoint';

export const usesWaypoint = ({ cluster }: MeshContext) => cluster.istio?.waypoint !== false;

/** A namespace waypoint for services: istiod deploys the Envoy that enforces L7 policy and routes. */
export function waypoint(namespace: string): IGateway {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: WAYPOINT, namespace, labels: { 'istio.io/waypoint-for': 'service' } },
    spec: {
      gatewayClassName: 'istio-waypoint',
      listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }],
    },
  };
}

const waypointRef = { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: WAYPOINT };

/** Deny by default at the waypoint too: requests pass only when a Service-level rule allows them. */
export const waypointDenyAll = (namespace: string) =>
  authorizationPolicy(namespace, 'waypoint-deny-all', { targetRefs: [waypointRef] });

/**
 * ztunnel only sees the waypoint's identity on traffic the waypoint forwarded, so the namespace's L4
 * policy admits the waypoint; the caller's identity and L7 rules are checked at the waypoint.
 */
export const allowFromWaypoint = (namespace: string) =>
  authorizationPolicy(namespace, 'allow-waypoint', {
    action: 'ALLOW',
    rules: [{ from: [{ source: { principals: [principal(namespace, WAYPOINT)] } }] }],
  });

/**
 * A waypoint applies the policies of the Service a request is addressed to. Under a canary Flagger
 * adds `<app>-primary` and `<app>-canary` next to the apex; the loadtester calls `<app>-canary`.
 */
const servicesOf = (app: App) =>
  hasCanary(app) ? [app.name, `${app.name}-canary`, `${app.name}-primary`] : [app.name];

/** L7 allow rules attached to the app's Service(s), so the waypoint (not ztunnel) enforces them. */
export function waypointAllow(platform: Platform, app: App): IAuthorizationPolicy[] {
  const rules = callerRules(platform, app, true);
  if (rules.length === 0) return [];
  return [
    authorizationPolicy(app.namespace, `${app.name}-allow`, {
      targetRefs: servicesOf(app).map((name) => ({ group: '', kind: 'Service', name })),
      action: 'ALLOW',
      rules,
    }),
  ];
}
