import type { IGateway } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway';
import type { IHTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import type { App, Platform } from '@meshproof/spec';
import type { MeshContext, MeshPlugin } from '../mesh.ts';
import type { K8sObject } from '../model.ts';
import { namespace } from '../workload/namespace.ts';

/** The one ingress Gateway of a cluster, in a namespace of its own (no app may live there). */
export const INGRESS_GATEWAY = { name: 'ingress', namespace: 'ingress' } as const;

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

type Listener = IGateway['spec']['listeners'][number];
type Exposed = App & { expose: NonNullable<App['expose']>; port: number };

/** Apps reachable from outside the cluster (the spec guarantees a port on each). */
export const exposedApps = (platform: Platform): Exposed[] =>
  platform.apps.filter((a): a is Exposed => a.expose !== undefined && a.port !== undefined);

/**
 * One HTTP listener per host name, named after it (dots become dashes; a name two host names would
 * share gets a numeric suffix). Sorted by host name, so the names stay stable as apps come and go.
 */
function listenerNames(platform: Platform): Map<string, string> {
  const hostnames = [...new Set(exposedApps(platform).map((a) => a.expose.hostname))].sort();
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const hostname of hostnames) {
    const base = `http-${hostname.replaceAll('.', '-')}`;
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
    taken.add(name);
    names.set(hostname, name);
  }
  return names;
}

function listenerFor(platform: Platform, hostname: string, name: string): Listener {
  const namespaces = [
    ...new Set(
      exposedApps(platform)
        .filter((a) => a.expose.hostname === hostname)
        .map((a) => a.namespace),
    ),
  ].sort();
  return {
    name,
    hostname,
    port: 80,
    protocol: 'HTTP',
    // Only the namespaces of the apps exposed under this host name may attach routes.
    allowedRoutes: {
      namespaces: {
        from: 'Selector',
        selector: {
          matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: namespaces }],
        },
      },
      kinds: [{ group: GATEWAY_GROUP, kind: 'HTTPRoute' }],
    },
  };
}

/**
 * The ingress Gateway and its namespace (Pod Security restricted: the gateway pods, when the
 * controller runs any there, must fit it). Empty when no app is exposed.
 */
export function ingressGateway(platform: Platform, gatewayClassName: string): K8sObject[] {
  const names = listenerNames(platform);
  if (names.size === 0) return [];
  const gateway: IGateway = {
    apiVersion: `${GATEWAY_GROUP}/v1`,
    kind: 'Gateway',
    metadata: { name: INGRESS_GATEWAY.name, namespace: INGRESS_GATEWAY.namespace },
    spec: {
      gatewayClassName,
      listeners: [...names].map(([hostname, name]) => listenerFor(platform, hostname, name)),
    },
  };
  return [namespace(INGRESS_GATEWAY.namespace, 'restricted'), gateway];
}

/**
 * The app's route from the ingress Gateway: its host name and path prefix to the app's Service (for a
 * canary, the apex Service Flagger maintains). Same namespace as the Service: no ReferenceGrant.
 */
export function ingressRoute(platform: Platform, app: Exposed): IHTTPRoute {
  const sectionName = listenerNames(platform).get(app.expose.hostname);
  return {
    apiVersion: `${GATEWAY_GROUP}/v1`,
    kind: 'HTTPRoute',
    metadata: { name: `${app.name}-ingress`, namespace: app.namespace },
    spec: {
      parentRefs: [
        {
          group: GATEWAY_GROUP,
          kind: 'Gateway',
          name: INGRESS_GATEWAY.name,
          namespace: INGRESS_GATEWAY.namespace,
          sectionName,
        },
      ],
      hostnames: [app.expose.hostname],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: app.expose.pathPrefix } }],
          backendRefs: [{ name: app.name, port: app.port }],
        },
      ],
    },
  };
}

/** Per-app ingress objects: the route plus the mesh's allow rule for the gateway's identity. */
export function appIngress(ctx: MeshContext, mesh: MeshPlugin, app: App): K8sObject[] {
  if (app.expose === undefined) return [];
  const exposed = exposedApps(ctx.platform).find((a) => a.name === app.name);
  if (!mesh.ingress || !exposed) {
    throw new Error(
      `${app.name}: expose needs an ingress gateway, and cluster ${ctx.cluster.name} (${ctx.cluster.mesh}) has none`,
    );
  }
  return [ingressRoute(ctx.platform, exposed), ...mesh.ingress.allow(ctx, exposed)];
}
