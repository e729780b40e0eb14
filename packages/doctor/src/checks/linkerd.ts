// Linkerd policy semantics: a Server denies everything until authorized, and once routes attach to
// a Server the kubelet probes are no longer authorized automatically.
import { get, isObj, list, matchSelector, ofKind, podTemplates } from '../k8s.ts';
import type { Check, ClusterSet, Issue, K8sObject } from '../model.ts';

export const attachedRoutes = (c: ClusterSet, server: K8sObject): K8sObject[] =>
  [...ofKind(c, 'HTTPRoute', 'linkerd.io'), ...ofKind(c, 'HTTPRoute', 'gateway.networking.k8s.io')].filter(
    (r) =>
      r.namespace === server.namespace &&
      list(get(r.body, ['spec', 'parentRefs'])).some(
        (p) => get(p, ['kind']) === 'Server' && get(p, ['name']) === server.name,
      ),
  );

function authorized(c: ClusterSet, server: K8sObject): boolean {
  const routes = new Set(attachedRoutes(c, server).map((r) => r.name));
  const byPolicy = ofKind(c, 'AuthorizationPolicy', 'linkerd.io').some((ap) => {
    if (ap.namespace !== server.namespace) return false;
    const kind = get(ap.body, ['spec', 'targetRef', 'kind']);
    const name = get(ap.body, ['spec', 'targetRef', 'name']);
    return (
      kind === 'Namespace' ||
      (kind === 'Server' && name === server.name) ||
      (kind === 'HTTPRoute' && routes.has(String(name)))
    );
  });
  const byServerAuth = ofKind(c, 'ServerAuthorization', 'linkerd.io').some(
    (sa) =>
      sa.namespace === server.namespace &&
      (get(sa.body, ['spec', 'server', 'name']) === server.name ||
        (get(sa.body, ['spec', 'server', 'selector']) !== undefined &&
          matchSelector(get(sa.body, ['spec', 'server', 'selector']), server.labels))),
  );
  return byPolicy || byServerAuth;
}

function unauthorizedServers(c: ClusterSet): Issue[] {
  return ofKind(c, 'Server', 'linkerd.io')
    .filter(
      (s) =>
        ['deny', undefined].includes(get(s.body, ['spec', 'accessPolicy']) as string | undefined) &&
        !authorized(c, s),
    )
    .map((s) => ({
      obj: s,
      path: ['metadata', 'name'],
      message: `Server ${s.name} has no AuthorizationPolicy or ServerAuthorization: all traffic to its port is denied`,
    }));
}

interface Probe {
  path: string;
  port: unknown;
}

function httpProbes(container: unknown): Probe[] {
  return ['readinessProbe', 'livenessProbe', 'startupProbe'].flatMap((p) => {
    const http = get(container, [p, 'httpGet']);
    return isObj(http) ? [{ path: typeof http.path === 'string' ? http.path : '/', port: http.port }] : [];
  });
}

export function routeMatches(route: K8sObject, path: string): boolean {
  return list(get(route.body, ['spec', 'rules'])).some((rule) => {
    const matches = list(get(rule, ['matches']));
    if (matches.length === 0) return true;
    return matches.some((m) => {
      const type = get(m, ['path', 'type']) ?? 'PathPrefix';
      const value = String(get(m, ['path', 'value']) ?? '/');
      if (type === 'Exact') return value === path;
      if (type === 'PathPrefix')
        return value === '/' || path === value || path.startsWith(value.endsWith('/') ? value : `${value}/`);
      return type === 'RegularExpression' && new RegExp(`^${value}$`).test(path);
    });
  });
}

function probesBlocked(c: ClusterSet): Issue[] {
  const out: Issue[] = [];
  for (const server of ofKind(c, 'Server', 'linkerd.io')) {
    const routes = attachedRoutes(c, server);
    if (routes.length === 0) continue;
    const port = get(server.body, ['spec', 'port']);
    const pods = podTemplates(c).filter(
      (t) =>
        t.obj.namespace === server.namespace &&
        matchSelector(get(server.body, ['spec', 'podSelector']), t.labels),
    );
    for (const t of pods) {
      for (const ct of list(t.spec.containers)) {
        const portNames = new Map(
          list(get(ct, ['ports'])).map((p) => [get(p, ['name']), get(p, ['containerPort'])]),
        );
        for (const probe of httpProbes(ct)) {
          const probePort = typeof probe.port === 'string' ? portNames.get(probe.port) : probe.port;
          const serverPort = typeof port === 'string' ? portNames.get(port) : port;
          if (probePort === undefined || probePort !== serverPort) continue;
          if (!routes.some((r) => routeMatches(r, probe.path))) {
            out.push({
              obj: routes[0] as K8sObject,
              path: ['spec', 'rules'],
              message: `probe ${probe.path} of ${t.obj.kind} ${t.obj.name} on Server ${server.name}'s port matches no attached route: the kubelet is denied and pods never get Ready`,
            });
          }
        }
      }
    }
  }
  return out;
}

export const linkerdChecks: Check[] = [
  {
    id: 'LNK001',
    severity: 'warning',
    title: 'Linkerd Server without any authorization',
    description:
      'A Server with accessPolicy deny (the default) and no AuthorizationPolicy/ServerAuthorization rejects every request to its port.',
    hint: 'Add an AuthorizationPolicy targeting the Server (or its namespace) with MeshTLSAuthentication for the clients.',
    run: ({ cluster }) => unauthorizedServers(cluster),
  },
  {
    id: 'LNK002',
    severity: 'error',
    title: 'Linkerd routes block health probes',
    description:
      'Once an HTTPRoute is attached to a Server, Linkerd stops authorizing kubelet probes on that port automatically; a probe path no route matches is denied.',
    hint: 'Add a route (and an unauthenticated AuthorizationPolicy) for the probe paths such as /healthz and /ready.',
    run: ({ cluster }) => probesBlocked(cluster),
  },
];
