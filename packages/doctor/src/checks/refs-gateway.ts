// Gateway API route attachment: a parentRef must name an existing Gateway (or a Service, for mesh
// routes), and a Gateway parent must have a listener the route can attach to. Rules from the
// ParentReference and Listener docs of gateway-api v1.5.1 (config/crd/standard, httproutes and gateways).
import { get, isObj, list, matchSelector, named, ofKind, strs } from '../k8s.ts';
import type { Check, ClusterSet, Issue, K8sObject, Path } from '../model.ts';
import { canaryServicePorts } from './references.ts';

const GATEWAY_GROUP = 'gateway.networking.k8s.io';
const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'];

export interface ParentRef {
  route: K8sObject;
  /** API group of the parent, '' for the core group. */
  group: string;
  kind: string;
  namespace: string;
  name: string;
  sectionName?: string;
  port?: number;
  path: Path;
}

/** Routes that attach through parentRefs: Gateway API routes and Linkerd's policy.linkerd.io HTTPRoute. */
export const attachingRoutes = (c: ClusterSet): K8sObject[] => [
  ...ROUTE_KINDS.flatMap((k) => ofKind(c, k, GATEWAY_GROUP)),
  ...ofKind(c, 'HTTPRoute', 'policy.linkerd.io'),
];

/** A route's parentRefs with the API's defaults filled in (group gateway.networking.k8s.io, kind Gateway, the route's namespace). */
export function parentRefs(route: K8sObject): ParentRef[] {
  return list(get(route.body, ['spec', 'parentRefs'])).flatMap((p, i) => {
    if (!isObj(p) || typeof p.name !== 'string') return [];
    return [
      {
        route,
        group: typeof p.group === 'string' ? p.group : GATEWAY_GROUP,
        kind: typeof p.kind === 'string' ? p.kind : 'Gateway',
        namespace: typeof p.namespace === 'string' ? p.namespace : route.namespace,
        name: p.name,
        ...(typeof p.sectionName === 'string' ? { sectionName: p.sectionName } : {}),
        ...(typeof p.port === 'number' ? { port: p.port } : {}),
        path: ['spec', 'parentRefs', i],
      },
    ];
  });
}

const isGateway = (p: ParentRef): boolean => p.group === GATEWAY_GROUP && p.kind === 'Gateway';
const isService = (p: ParentRef): boolean => p.group === '' && p.kind === 'Service';

const gatewayOf = (c: ClusterSet, p: ParentRef): K8sObject | undefined =>
  named(c, 'Gateway', p.namespace, p.name).find((g) => g.apiVersion.startsWith(`${GATEWAY_GROUP}/`));
const serviceOf = (c: ClusterSet, p: ParentRef): K8sObject | undefined =>
  named(c, 'Service', p.namespace, p.name).find((s) => s.apiVersion === 'v1');

function missingParents(c: ClusterSet): Issue[] {
  return attachingRoutes(c).flatMap((route) =>
    parentRefs(route)
      .flatMap((p) => {
        if (isGateway(p) && !gatewayOf(c, p)) {
          return [{ what: `Gateway ${p.namespace}/${p.name}`, p }];
        }
        if (isService(p) && !serviceOf(c, p) && !canaryServicePorts(c, p.namespace, p.name)) {
          return [{ what: `Service ${p.namespace}/${p.name}`, p }];
        }
        return [];
      })
      .map(({ what, p }) => ({
        obj: route,
        path: [...p.path, 'name'],
        message: `parentRef names ${what}, which is not defined in this cluster; the route attaches to nothing`,
        absent: true,
      })),
  );
}

// Route kinds a listener admits by default, per its protocol (Listener.allowedRoutes.kinds docs).
const DEFAULT_KINDS: Record<string, string[]> = {
  HTTP: ['HTTPRoute', 'GRPCRoute'],
  HTTPS: ['HTTPRoute', 'GRPCRoute'],
  TLS: ['TLSRoute', 'TCPRoute'],
  TCP: ['TCPRoute'],
  UDP: ['UDPRoute'],
};

function admitsKind(listener: unknown, kind: string): boolean {
  const kinds = list(get(listener, ['allowedRoutes', 'kinds']));
  if (kinds.length > 0) return kinds.some((k) => get(k, ['kind']) === kind);
  const defaults = DEFAULT_KINDS[String(get(listener, ['protocol']))];
  // Implementation-specific protocols (Istio's HBONE, say) admit what the implementation decides.
  return defaults === undefined || defaults.includes(kind);
}

/** Whether the listener admits routes from `routeNs`; undefined when a selector meets a Namespace not in the input. */
function admitsNamespace(
  c: ClusterSet,
  listener: unknown,
  gwNs: string,
  routeNs: string,
): boolean | undefined {
  const from = get(listener, ['allowedRoutes', 'namespaces', 'from']) ?? 'Same';
  if (from === 'All') return true;
  if (from === 'Same') return gwNs === routeNs;
  if (from !== 'Selector') return undefined;
  const ns = named(c, 'Namespace', '', routeNs)[0];
  if (!ns) return undefined;
  // The API server sets kubernetes.io/metadata.name on every Namespace.
  const labels = { ...ns.labels, 'kubernetes.io/metadata.name': routeNs };
  return matchSelector(get(listener, ['allowedRoutes', 'namespaces', 'selector']), labels);
}

const hostMatch = (a: string, b: string): boolean =>
  a === b || (a.startsWith('*.') && b.endsWith(a.slice(1))) || (b.startsWith('*.') && a.endsWith(b.slice(1)));

function hostnamesIntersect(listener: unknown, route: K8sObject): boolean {
  const lh = get(listener, ['hostname']);
  const rh = strs(get(route.body, ['spec', 'hostnames']));
  return typeof lh !== 'string' || rh.length === 0 || rh.some((h) => hostMatch(lh, h));
}

interface Unmatched {
  why: string;
  /** The parentRef field at fault: sectionName or port, else the parent as a whole (its name). */
  field: 'sectionName' | 'port' | 'name';
}

/** Why no listener of `gw` takes the route through `p`, or undefined when one does (or it cannot be told). */
function noListener(c: ClusterSet, gw: K8sObject, p: ParentRef): Unmatched | undefined {
  const gwName = `Gateway ${gw.namespace}/${gw.name}`;
  let ls = list(get(gw.body, ['spec', 'listeners']));
  if (p.sectionName !== undefined) {
    ls = ls.filter((l) => get(l, ['name']) === p.sectionName);
    if (ls.length === 0)
      return { why: `${gwName} has no listener named "${p.sectionName}"`, field: 'sectionName' };
  }
  if (p.port !== undefined) {
    ls = ls.filter((l) => get(l, ['port']) === p.port);
    if (ls.length === 0) return { why: `${gwName} has no listener on port ${p.port}`, field: 'port' };
  }
  const byKind = ls.filter((l) => admitsKind(l, p.route.kind));
  if (byKind.length === 0)
    return {
      why: `no listener of ${gwName} admits ${p.route.kind}s (protocol or allowedRoutes.kinds)`,
      field: 'name',
    };
  const byNs = byKind.filter((l) => admitsNamespace(c, l, gw.namespace, p.route.namespace) !== false);
  if (byNs.length === 0)
    return {
      why: `no listener of ${gwName} admits routes from namespace ${p.route.namespace} (allowedRoutes.namespaces; the default is Same)`,
      field: 'name',
    };
  if (!byNs.some((l) => hostnamesIntersect(l, p.route)))
    return { why: `the route's hostnames match no listener hostname of ${gwName}`, field: 'name' };
  return undefined;
}

function noServicePort(svc: K8sObject, p: ParentRef): Unmatched | undefined {
  const ports = list(get(svc.body, ['spec', 'ports']));
  const svcName = `Service ${svc.namespace}/${svc.name}`;
  if (p.sectionName !== undefined && !ports.some((x) => get(x, ['name']) === p.sectionName))
    return { why: `${svcName} has no port named "${p.sectionName}"`, field: 'sectionName' };
  if (p.port !== undefined && !ports.some((x) => get(x, ['port']) === p.port))
    return { why: `${svcName} has no port ${p.port}`, field: 'port' };
  return undefined;
}

function unmatchedSections(c: ClusterSet): Issue[] {
  const out: Issue[] = [];
  for (const route of attachingRoutes(c)) {
    for (const p of parentRefs(route)) {
      const gw = isGateway(p) ? gatewayOf(c, p) : undefined;
      const svc = isService(p) ? serviceOf(c, p) : undefined;
      const miss = gw ? noListener(c, gw, p) : svc ? noServicePort(svc, p) : undefined;
      if (!miss) continue;
      out.push({
        obj: route,
        path: [...p.path, miss.field],
        message: `${miss.why}, so the route is not attached through this parentRef`,
      });
    }
  }
  return out;
}

export const gatewayReferenceChecks: Check[] = [
  {
    id: 'REF025',
    severity: 'error',
    title: 'Route parent missing',
    description:
      'A Gateway API route (HTTPRoute, GRPCRoute, TLSRoute, TCPRoute, UDPRoute, or Linkerd’s policy.linkerd.io HTTPRoute) has a parentRef to a Gateway or a Service (mesh routing) that does not exist, so the route attaches to nothing.',
    hint: 'Fix parentRefs name/namespace (group and kind default to a gateway.networking.k8s.io Gateway), or add the Gateway.',
    run: ({ cluster }) => missingParents(cluster),
  },
  {
    id: 'REF026',
    severity: 'error',
    title: 'Route parent has no matching listener',
    description:
      'A route’s parentRef names a listener (sectionName) or port the Gateway does not have, or no listener admits the route: wrong protocol or allowedRoutes.kinds, a namespace allowedRoutes.namespaces shuts out (Same by default), or hostnames that intersect none; for a Service parent, a port name or number the Service lacks. The route is not attached there.',
    hint: 'Match sectionName to spec.listeners[].name (or the Service’s port name), port to a listener port, and let the listener admit the route’s namespace and hostnames.',
    run: ({ cluster }) => unmatchedSections(cluster),
  },
];
