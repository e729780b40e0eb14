import { createHash } from 'node:crypto';
import type { IHTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import type { App, Platform } from '@meshproof/spec';
import {
  FLAGGER_SERVICE_ACCOUNT,
  LOADTESTER_POD_LABELS,
  LOADTESTER_PORT,
  LOADTESTER_WEBHOOK_PATH,
} from '../flagger/loadtester.ts';
import { FLAGGER_NAMESPACE } from '../flagger/release.ts';
import type { K8sObject } from '../model.ts';
import { APP_LABEL, LOADTESTER, PORT_NAME, serviceAccountName } from '../workload/names.ts';
import { type AccessRoute, accessRoutes } from './access.ts';
import { CLUSTER_NETWORKS } from './networks.ts';
import {
  type AuthorizationPolicy,
  GATEWAY_GROUP,
  type MeshTLSAuthentication,
  type NetworkAuthentication,
  POLICY_GROUP,
  type Server,
} from './policy-types.ts';
import { PROMETHEUS_IDENTITY } from './prometheus.ts';

/** Served by every app; readable only by Prometheus (see metricsObjects). */
export const METRICS_PATH = '/metrics';

type Route = IHTTPRoute & { metadata: { name: string; namespace: string } };

const serverName = (app: App) => `${app.name}-${PORT_NAME}`;

function slug(path: string): string {
  const s = path
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return s === '' ? 'root' : s;
}

const shortHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 8);

/** Readable, stable route names; a hash keeps them apart when two paths slug alike, and keeps them short. */
function routeNames(app: App, routes: AccessRoute[]): string[] {
  const base = routes.map((r) => `${app.name}-${(r.method ?? 'any').toLowerCase()}-${slug(r.pathPrefix)}`);
  return base.map((name, i) => {
    const clash = base.indexOf(name) !== base.lastIndexOf(name) || name.length > 54;
    const route = routes[i] as AccessRoute;
    return clash ? `${name.slice(0, 44)}-${shortHash(`${route.method} ${route.pathPrefix}`)}` : name;
  });
}

function server(app: App): Server {
  return {
    apiVersion: 'policy.linkerd.io/v1beta3',
    kind: 'Server',
    metadata: { name: serverName(app), namespace: app.namespace },
    // The demo apps speak plain HTTP/1.1; declaring it skips protocol detection.
    spec: {
      podSelector: { matchLabels: { [APP_LABEL]: app.name } },
      port: PORT_NAME,
      proxyProtocol: 'HTTP/1',
    },
  };
}

/** An inbound route: its parent is the Server, so it narrows what that Server's policies apply to. */
function inboundRoute(
  app: App,
  name: string,
  matches: NonNullable<Route['spec']['rules']>[number]['matches'],
): Route {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace: app.namespace },
    spec: {
      parentRefs: [{ group: POLICY_GROUP, kind: 'Server', name: serverName(app) }],
      rules: [{ matches }],
    },
  };
}

function authorize(app: App, route: string, authn: { kind: string; name: string }): AuthorizationPolicy {
  return {
    apiVersion: 'policy.linkerd.io/v1alpha1',
    kind: 'AuthorizationPolicy',
    metadata: { name: route, namespace: app.namespace },
    spec: {
      targetRef: { group: GATEWAY_GROUP, kind: 'HTTPRoute', name: route },
      requiredAuthenticationRefs: [{ group: POLICY_GROUP, ...authn }],
    },
  };
}

/**
 * Once a route is attached to a Server, Linkerd stops authorizing kubelet probes on its own
 * (server-policy "Default authorizations"), so the probe paths get an explicit route admitted from
 * the node networks: GET on the exact liveness/readiness paths, nothing else. Exact matches outrank
 * every prefix route, so these paths never fall into a caller's route.
 */
function probeObjects(app: App): K8sObject[] {
  const name = `${app.name}-probes`;
  const networks: NetworkAuthentication = {
    apiVersion: 'policy.linkerd.io/v1alpha1',
    kind: 'NetworkAuthentication',
    metadata: { name, namespace: app.namespace },
    spec: { networks: CLUSTER_NETWORKS.map((cidr) => ({ cidr })) },
  };
  const paths = [...new Set([app.health.liveness, app.health.readiness])];
  return [
    inboundRoute(app, name, paths.map(getExact)),
    networks,
    authorize(app, name, { kind: 'NetworkAuthentication', name }),
  ];
}

const getExact = (value: string) => ({ path: { type: 'Exact' as const, value }, method: 'GET' as const });

/**
 * GET /metrics for Prometheus only, by its mTLS identity (its pods are injected through
 * `platformPodMetadata`), as linkerd-viz authorizes its own Prometheus: a NetworkAuthentication
 * would admit any pod in the cluster, meshed or not.
 */
function metricsObjects(app: App): K8sObject[] {
  const name = `${app.name}-metrics`;
  const authn: MeshTLSAuthentication = {
    apiVersion: 'policy.linkerd.io/v1alpha1',
    kind: 'MeshTLSAuthentication',
    metadata: { name, namespace: app.namespace },
    spec: { identities: [PROMETHEUS_IDENTITY] },
  };
  return [
    inboundRoute(app, name, [getExact(METRICS_PATH)]),
    authn,
    authorize(app, name, { kind: 'MeshTLSAuthentication', name }),
  ];
}

function callerObjects(app: App, route: AccessRoute, name: string): K8sObject[] {
  const authn: MeshTLSAuthentication = {
    apiVersion: 'policy.linkerd.io/v1alpha1',
    kind: 'MeshTLSAuthentication',
    metadata: { name, namespace: app.namespace },
    // ServiceAccount refs, not identity strings: Linkerd derives the mTLS identity, trust domain included.
    spec: {
      identityRefs: route.callers.map((c) => ({
        kind: 'ServiceAccount',
        name: serviceAccountName(c),
        namespace: c.namespace,
      })),
    },
  };
  const match = {
    path: { type: 'PathPrefix' as const, value: route.pathPrefix },
    ...(route.method ? { method: route.method as 'GET' } : {}),
  };
  return [
    inboundRoute(app, name, [match]),
    authn,
    authorize(app, name, { kind: 'MeshTLSAuthentication', name }),
  ];
}

/**
 * Inbound authorization of one app under default deny: a Server for its port, one route per
 * (path, method) its callers may use, each admitting exactly those callers' ServiceAccounts over
 * mTLS, plus the probe route and (with Prometheus) the metrics route. Everything else to the port
 * is refused (HTTP 403/404).
 */
export function authorizationObjects(platform: Platform, app: App): K8sObject[] {
  if (app.port === undefined) return [];
  const routes = accessRoutes(platform, app);
  const names = routeNames(app, routes);
  return [
    server(app),
    ...probeObjects(app),
    ...(platform.observability.prometheus ? metricsObjects(app) : []),
    ...routes.flatMap((route, i) => callerObjects(app, route, names[i] as string)),
  ];
}

/** `meshproof check` per-object suppression: "<check ID>: <reason>". */
const DOCTOR_IGNORE = 'meshproof.dev/ignore';

/**
 * Flagger's calls to the namespace's loadtester (meshed through the namespace annotation), in every
 * default inbound policy: the loadtester runs what its webhook receives, so its port admits Flagger
 * alone, by mTLS identity (Flagger's pods are injected through `platformPodMetadata`): a Server for
 * the webhook port, one route (POST on the webhook path) and a MeshTLSAuthentication of Flagger's
 * ServiceAccount. The chart probes the loadtester with `exec` (wget to localhost), which never passes
 * the proxy, so no probe route is needed. The pods come from the chart, so `meshproof check` sees no
 * pod template behind the Server (REF004).
 */
export function loadtesterFromFlagger(namespace: string): K8sObject[] {
  const name = `${LOADTESTER}-webhook`;
  const server: Server = {
    apiVersion: 'policy.linkerd.io/v1beta3',
    kind: 'Server',
    metadata: {
      name: `${LOADTESTER}-${PORT_NAME}`,
      namespace,
      annotations: {
        [DOCTOR_IGNORE]: `REF004: the loadtester chart's Deployment declares containerPort ${LOADTESTER_PORT} (${PORT_NAME}) with podLabels ${APP_LABEL}=${LOADTESTER}`,
      },
    },
    spec: {
      podSelector: { matchLabels: { ...LOADTESTER_POD_LABELS } },
      port: PORT_NAME,
      proxyProtocol: 'HTTP/1',
    },
  };
  const route: Route = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace },
    spec: {
      parentRefs: [{ group: POLICY_GROUP, kind: 'Server', name: server.metadata.name }],
      rules: [{ matches: [{ path: { type: 'Exact', value: LOADTESTER_WEBHOOK_PATH }, method: 'POST' }] }],
    },
  };
  const flagger: MeshTLSAuthentication = {
    apiVersion: 'policy.linkerd.io/v1alpha1',
    kind: 'MeshTLSAuthentication',
    metadata: { name, namespace },
    spec: {
      identityRefs: [{ kind: 'ServiceAccount', name: FLAGGER_SERVICE_ACCOUNT, namespace: FLAGGER_NAMESPACE }],
    },
  };
  const authz: AuthorizationPolicy = {
    apiVersion: 'policy.linkerd.io/v1alpha1',
    kind: 'AuthorizationPolicy',
    metadata: { name, namespace },
    spec: {
      targetRef: { group: GATEWAY_GROUP, kind: 'HTTPRoute', name },
      requiredAuthenticationRefs: [{ group: POLICY_GROUP, kind: 'MeshTLSAuthentication', name }],
    },
  };
  return [server, route, flagger, authz];
}
