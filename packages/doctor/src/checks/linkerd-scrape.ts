// Prometheus must still reach what it scrapes once Linkerd policy is on: `linkerd viz check` verifies
// that Prometheus is authorized to scrape meshed pods. meshproof's Prometheus (kube-prometheus-stack,
// meshed) scrapes pods by their prometheus.io/* annotations, so the static form of that check is: each
// scraped port of a meshed pod admits Prometheus's identity, through the Server that covers the port
// (and a route matching the scrape path when routes are attached), or through the default policy.
import {
  get,
  helmValues,
  isObj,
  list,
  matchSelector,
  named,
  ofKind,
  type PodTemplate,
  podTemplates,
  releasesOf,
  releaseValues,
  strs,
} from '../k8s.ts';
import { namespaceObject } from '../mesh.ts';
import type { Check, ClusterSet, Issue, K8sObject } from '../model.ts';
import { ofKindIn } from '../namespaced.ts';
import { attachedRoutes, routeMatches } from './linkerd.ts';

interface Prometheus {
  account: string;
  namespace: string;
  identity: string;
  meshed: boolean;
}

/** Prometheus as kube-prometheus-stack creates it: ServiceAccount `<fullname>-prometheus` unless values name one. */
function prometheusOf(c: ClusterSet): Prometheus | undefined {
  const hr = releasesOf(c, 'kube-prometheus-stack')[0];
  if (!hr) return undefined;
  const values = releaseValues(c, hr);
  const namespace = String(get(hr.body, ['spec', 'targetNamespace']) ?? hr.namespace);
  const fullname = String(
    get(values, ['fullnameOverride']) ?? get(hr.body, ['spec', 'releaseName']) ?? hr.name,
  );
  const account = String(get(values, ['prometheus', 'serviceAccount', 'name']) ?? `${fullname}-prometheus`);
  // Linkerd identities read <sa>.<ns>.serviceaccount.identity.<control-plane namespace>.<trust domain>.
  const cp = releasesOf(c, 'linkerd-control-plane')[0];
  const domain = String(
    get(helmValues(c, 'linkerd-control-plane'), ['identityTrustDomain']) ?? 'cluster.local',
  );
  const cpNs = String((cp && get(cp.body, ['spec', 'targetNamespace'])) ?? cp?.namespace ?? 'linkerd');
  const onPods = get(values, [
    'prometheus',
    'prometheusSpec',
    'podMetadata',
    'annotations',
    'linkerd.io/inject',
  ]);
  const onNs = namespaceObject(c, namespace)?.annotations['linkerd.io/inject'];
  return {
    account,
    namespace,
    identity: `${account}.${namespace}.serviceaccount.identity.${cpNs}.${domain}`,
    meshed: (onPods ?? onNs) === 'enabled',
  };
}

const podAnnotation = (t: PodTemplate, key: string): unknown =>
  get(t.obj.body, [...t.specPath.slice(0, -1), 'metadata', 'annotations', key]);

function linkerdMeshedPod(c: ClusterSet, t: PodTemplate): boolean {
  const inject =
    podAnnotation(t, 'linkerd.io/inject') ??
    namespaceObject(c, t.obj.namespace)?.annotations['linkerd.io/inject'];
  return inject === 'enabled';
}

/** The container port number a Server's `port` (number or name) means for this template. */
function portNumber(t: PodTemplate, port: unknown): number | undefined {
  if (typeof port === 'number') return port;
  for (const ct of list(t.spec.containers))
    for (const p of list(get(ct, ['ports'])))
      if (get(p, ['name']) === port) return Number(get(p, ['containerPort']));
  return undefined;
}

/** Whether one authentication object (a requiredAuthenticationRefs entry) lets Prometheus in. */
function admits(c: ClusterSet, ns: string, ref: unknown, prom: Prometheus): boolean {
  const kind = get(ref, ['kind']);
  const name = get(ref, ['name']);
  const refNs = String(get(ref, ['namespace']) ?? ns);
  if (kind === 'NetworkAuthentication') return true;
  if (kind === 'ServiceAccount') return name === prom.account && refNs === prom.namespace;
  if (kind !== 'MeshTLSAuthentication') return false;
  const m = named(c, 'MeshTLSAuthentication', refNs, name)[0];
  if (!m) return true; // A missing authentication is REF001's finding, not this one's.
  const ids = strs(get(m.body, ['spec', 'identities']));
  const byRef = list(get(m.body, ['spec', 'identityRefs'])).some(
    (r) =>
      (get(r, ['kind']) === 'ServiceAccount' &&
        get(r, ['name']) === prom.account &&
        String(get(r, ['namespace']) ?? m.namespace) === prom.namespace) ||
      (get(r, ['kind']) === 'Namespace' && get(r, ['name']) === prom.namespace),
  );
  return byRef || ids.includes('*') || ids.includes(prom.identity);
}

function policiesAdmit(c: ClusterSet, server: K8sObject, targets: K8sObject[], prom: Prometheus): boolean {
  const names = new Set(targets.map((t) => `${t.kind}/${t.name}`));
  const viaPolicy = ofKind(c, 'AuthorizationPolicy', 'linkerd.io').some((ap) => {
    if (ap.namespace !== server.namespace) return false;
    const kind = get(ap.body, ['spec', 'targetRef', 'kind']);
    const name = get(ap.body, ['spec', 'targetRef', 'name']);
    if (kind !== 'Namespace' && !names.has(`${String(kind)}/${String(name)}`)) return false;
    // Every listed authentication must admit the client; an empty list requires none, so Linkerd
    // authorizes every client from every network (policy-controller/k8s/index/src/inbound/index.rs).
    return list(get(ap.body, ['spec', 'requiredAuthenticationRefs'])).every((r) =>
      admits(c, ap.namespace, r, prom),
    );
  });
  const viaServerAuth = ofKind(c, 'ServerAuthorization', 'linkerd.io').some((sa) => {
    if (sa.namespace !== server.namespace) return false;
    const sel = get(sa.body, ['spec', 'server', 'selector']);
    if (
      get(sa.body, ['spec', 'server', 'name']) !== server.name &&
      !(isObj(sel) && matchSelector(sel, server.labels))
    )
      return false;
    const client = get(sa.body, ['spec', 'client']);
    if (get(client, ['unauthenticated']) === true || get(client, ['meshTLS', 'unauthenticatedTLS']) === true)
      return true;
    const ids = strs(get(client, ['meshTLS', 'identities']));
    const accounts = list(get(client, ['meshTLS', 'serviceAccounts'])).some(
      (a) =>
        get(a, ['name']) === prom.account && String(get(a, ['namespace']) ?? sa.namespace) === prom.namespace,
    );
    return accounts || ids.includes('*') || ids.includes(prom.identity);
  });
  return viaPolicy || viaServerAuth;
}

function defaultPolicy(c: ClusterSet, t: PodTemplate): string {
  const key = 'config.linkerd.io/default-inbound-policy';
  return String(
    podAnnotation(t, key) ??
      namespaceObject(c, t.obj.namespace)?.annotations[key] ??
      get(helmValues(c, 'linkerd-control-plane'), ['proxy', 'defaultInboundPolicy']) ??
      'all-unauthenticated',
  );
}

function scrapeBlocked(c: ClusterSet): Issue[] {
  const prom = prometheusOf(c);
  if (!prom) return [];
  const out: Issue[] = [];
  for (const t of podTemplates(c)) {
    if (podAnnotation(t, 'prometheus.io/scrape') !== 'true' || !linkerdMeshedPod(c, t)) continue;
    const port = Number(podAnnotation(t, 'prometheus.io/port'));
    if (!Number.isInteger(port)) continue;
    const path = String(podAnnotation(t, 'prometheus.io/path') ?? '/metrics');
    const at = [...t.specPath.slice(0, -1), 'metadata', 'annotations', 'prometheus.io/port'];
    const servers = ofKindIn(c, 'Server', t.obj.namespace, 'linkerd.io').filter(
      (s) =>
        matchSelector(get(s.body, ['spec', 'podSelector']), t.labels) &&
        portNumber(t, get(s.body, ['spec', 'port'])) === port,
    );
    for (const server of servers) {
      const routes = attachedRoutes(c, server);
      const matching = routes.filter((r) => routeMatches(r, path));
      if (routes.length > 0 && matching.length === 0) {
        out.push({
          obj: t.obj,
          path: at,
          message: `Prometheus scrapes ${path} on port ${port} of ${t.obj.kind} ${t.obj.name}, but no route attached to Server ${server.name} matches that path, so Linkerd denies the scrape`,
        });
        continue;
      }
      if (!policiesAdmit(c, server, routes.length > 0 ? matching : [server], prom))
        out.push({
          obj: t.obj,
          path: at,
          message: `Prometheus (${prom.identity}) scrapes port ${port} of ${t.obj.kind} ${t.obj.name}, but no authorization of Server ${server.name}${routes.length > 0 ? ` (routes ${matching.map((r) => r.name).join(', ')})` : ''} admits it: the scrape is denied and metric queries (Flagger analysis) get no data`,
        });
    }
    if (servers.length > 0) continue;
    const policy = defaultPolicy(c, t);
    if (policy === 'deny' || (policy.endsWith('-authenticated') && !prom.meshed))
      out.push({
        obj: t.obj,
        path: at,
        message: `Prometheus (${prom.identity}${prom.meshed ? '' : ', not meshed'}) scrapes port ${port} of ${t.obj.kind} ${t.obj.name}, which no Server covers, and the default inbound policy "${policy}" denies it`,
      });
  }
  return out;
}

export const linkerdScrapeChecks: Check[] = [
  {
    id: 'LNK103',
    severity: 'error',
    title: 'Prometheus not authorized to scrape a meshed pod',
    description:
      "A Linkerd-meshed pod annotated for scraping (prometheus.io/scrape, prometheus.io/port) whose port admits no identity of the kube-prometheus-stack Prometheus in the tree: the Server covering the port has no authorization (or no route for the scrape path) that lets it in, or no Server covers it and the default inbound policy refuses it (the static form of `linkerd viz check`'s scrape authorization).",
    hint: 'Authorize the Prometheus ServiceAccount (MeshTLSAuthentication) on the metrics port, with an HTTPRoute for the scrape path when routes are attached.',
    run: ({ cluster }) => scrapeBlocked(cluster),
  },
];
