// Istio objects that contend for the same thing: two mesh VirtualServices for one host, two Sidecars or
// Telemetries for one pod, two Gateways on one selector/port/host, two ServiceEntries giving one host:port
// different protocols. Istio then picks one silently (istioctl analyze IST0109, IST0110/0111, IST0145,
// IST0159/0160, IST0177; istio/istio pkg/config/analysis/analyzers/{virtualservice,sidecar,gateway,
// telemetry,serviceentry}).
import { get, isObj, list, matchLabels, ofKind, ref, strs } from '../k8s.ts';
import type { Check, ClusterSet, Issue, K8sObject, Path } from '../model.ts';
import { templatesIn } from '../namespaced.ts';

/** Istio's reading of a short host: `name` means `name.<namespace>.svc.cluster.local`; dotted hosts stay as written. */
export const istioFqdn = (host: string, ns: string): string =>
  host.includes('.') || host === '*' ? host : `${host}.${ns}.svc.cluster.local`;

/** Namespaces an object is visible in: exportTo `*` (or none) everywhere, `.` its own namespace. */
function exportScopes(o: K8sObject): string[] {
  const to = strs(get(o.body, ['spec', 'exportTo']));
  if (to.length === 0 || to.includes('*')) return ['*'];
  return [...new Set(to.map((s) => (s === '.' ? o.namespace : s)))];
}

interface Claim {
  obj: K8sObject;
  path: Path;
}

/** Claims grouped by key, where a claim visible everywhere (`*` scope) joins every scoped group of its host. */
function scopedGroups(claims: Map<string, Claim[]>): Claim[][] {
  const out: Claim[][] = [];
  for (const [key, group] of claims) {
    const [scope, ...rest] = key.split('\0');
    const everywhere = scope === '*' ? [] : (claims.get(['*', ...rest].join('\0')) ?? []);
    out.push([...group, ...everywhere]);
  }
  return out;
}

const add = (m: Map<string, Claim[]>, key: string, claim: Claim) => {
  const g = m.get(key);
  if (g) g.push(claim);
  else m.set(key, [claim]);
};

const others = (group: Claim[], self: K8sObject): string =>
  [...new Set(group.filter((g) => g.obj !== self).map((g) => `${g.obj.namespace}/${g.obj.name}`))].join(', ');

function meshVirtualServiceHosts(c: ClusterSet): Issue[] {
  const claims = new Map<string, Claim[]>();
  for (const vs of ofKind(c, 'VirtualService', 'istio.io')) {
    const gateways = strs(get(vs.body, ['spec', 'gateways']));
    if (gateways.length > 0 && !gateways.includes('mesh')) continue;
    strs(get(vs.body, ['spec', 'hosts'])).forEach((h, i) => {
      for (const scope of exportScopes(vs))
        add(claims, `${scope}\0${istioFqdn(h, vs.namespace)}`, { obj: vs, path: ['spec', 'hosts', i] });
    });
  }
  return reportConflicts(scopedGroups(claims), (claim, group) => {
    const host = istioFqdn(String(get(claim.obj.body, claim.path)), claim.obj.namespace);
    return `VirtualService ${claim.obj.namespace}/${claim.obj.name} and ${others(group, claim.obj)} all route host ${host} for the mesh gateway; Istio uses only one of them`;
  });
}

/** One issue per object and field among groups of more than one distinct object. */
function reportConflicts(groups: Claim[][], message: (claim: Claim, group: Claim[]) => string): Issue[] {
  const seen = new Set<string>();
  const out: Issue[] = [];
  for (const group of groups) {
    if (new Set(group.map((g) => g.obj)).size < 2) continue;
    for (const claim of group) {
      const key = `${ref(claim.obj)}\0${claim.path.join('.')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ obj: claim.obj, path: claim.path, message: message(claim, group) });
    }
  }
  return out;
}

const hasTargetRefs = (o: K8sObject): boolean =>
  get(o.body, ['spec', 'targetRefs']) !== undefined || get(o.body, ['spec', 'targetRef']) !== undefined;

/**
 * Per namespace: more than one object without a selector (namespace-wide), and objects whose selectors
 * pick the same pod template. `selectorPath` is where the kind keeps its label map.
 */
function selectorConflicts(
  c: ClusterSet,
  kind: string,
  plural: string,
  groupSuffix: string,
  selectorPath: Path,
): Issue[] {
  const out: Issue[] = [];
  const byNs = new Map<string, K8sObject[]>();
  for (const o of ofKind(c, kind, groupSuffix)) {
    if (hasTargetRefs(o)) continue;
    byNs.set(o.namespace, [...(byNs.get(o.namespace) ?? []), o]);
  }
  for (const [ns, objs] of byNs) {
    const wide = objs.filter((o) => !isObj(get(o.body, selectorPath)));
    if (wide.length > 1) {
      for (const o of wide)
        out.push({
          obj: o,
          path: ['metadata', 'name'],
          message: `${plural} ${wide.map((w) => w.name).join(', ')} in namespace ${ns} all have no workload selector; Istio applies only one of them`,
        });
    }
    const selective = objs.filter((o) => isObj(get(o.body, selectorPath)));
    if (selective.length < 2) continue;
    const reported = new Set<K8sObject>();
    for (const t of templatesIn(c, ns)) {
      const hits = selective.filter((o) => matchLabels(get(o.body, selectorPath), t.labels));
      if (hits.length < 2) continue;
      for (const o of hits) {
        if (reported.has(o)) continue;
        reported.add(o);
        out.push({
          obj: o,
          path: selectorPath,
          message: `${plural} ${hits.map((h) => h.name).join(', ')} in namespace ${ns} all select the pods of ${t.obj.kind} ${t.obj.name}; Istio applies only one of them`,
        });
      }
    }
  }
  return out;
}

const stripNamespace = (host: string): string => host.slice(host.indexOf('/') + 1);

/** Whether two Gateway server hosts can match one request host (`*` and `*.suffix` wildcards). */
export function hostsOverlap(a: string, b: string): boolean {
  const [x, y] = [stripNamespace(a), stripNamespace(b)];
  if (x === y || x === '*' || y === '*') return true;
  // A wildcard covers every host under its suffix, a narrower wildcard included; tried both ways round.
  const covers = (wild: string, other: string) => wild.startsWith('*.') && other.endsWith(wild.slice(1));
  return covers(x, y) || covers(y, x);
}

const selectorKey = (sel: unknown): string =>
  isObj(sel)
    ? Object.entries(sel)
        .map(([k, v]) => `${k}=${String(v)}`)
        .sort()
        .join(',')
    : '';

function conflictingGateways(c: ClusterSet): Issue[] {
  interface Server {
    obj: K8sObject;
    index: number;
    port: unknown;
    hosts: string[];
  }
  const bySelector = new Map<string, Server[]>();
  for (const gw of ofKind(c, 'Gateway', 'istio.io')) {
    const key = selectorKey(get(gw.body, ['spec', 'selector']));
    list(get(gw.body, ['spec', 'servers'])).forEach((s, index) => {
      const entry = { obj: gw, index, port: get(s, ['port', 'number']), hosts: strs(get(s, ['hosts'])) };
      bySelector.set(key, [...(bySelector.get(key) ?? []), entry]);
    });
  }
  const out: Issue[] = [];
  for (const [selector, servers] of bySelector) {
    for (const s of servers) {
      const clash = servers.filter(
        (o) =>
          o.obj !== s.obj &&
          o.port !== undefined &&
          o.port === s.port &&
          o.hosts.some((h) => s.hosts.some((mine) => hostsOverlap(h, mine))),
      );
      if (clash.length === 0) continue;
      out.push({
        obj: s.obj,
        path: ['spec', 'servers', s.index, 'port', 'number'],
        message: `Gateway ${s.obj.namespace}/${s.obj.name} and ${[...new Set(clash.map((o) => `${o.obj.namespace}/${o.obj.name}`))].join(', ')} serve port ${String(s.port)} with overlapping hosts on the same gateway pods (selector ${selector || '{}'})`,
      });
    }
  }
  return out;
}

function serviceEntryProtocols(c: ClusterSet): Issue[] {
  const claims = new Map<string, Claim[]>();
  for (const se of ofKind(c, 'ServiceEntry', 'istio.io')) {
    const hosts = strs(get(se.body, ['spec', 'hosts']));
    list(get(se.body, ['spec', 'ports'])).forEach((p, i) => {
      for (const scope of exportScopes(se))
        for (const h of hosts)
          add(claims, `${scope}\0${h}\0${String(get(p, ['number']))}`, {
            obj: se,
            path: ['spec', 'ports', i, 'protocol'],
          });
    });
  }
  const protocol = (cl: Claim): string => String(get(cl.obj.body, cl.path) ?? '').toUpperCase();
  const groups = scopedGroups(claims).filter((g) => new Set(g.map(protocol)).size > 1);
  return reportConflicts(groups, (claim, group) => {
    const port = get(claim.obj.body, [...claim.path.slice(0, -1), 'number']);
    const protocols = [...new Set(group.map((g) => protocol(g) || '(unset)'))].sort().join(', ');
    return `ServiceEntry ${claim.obj.namespace}/${claim.obj.name} and ${others(group, claim.obj)} declare the same host and port ${String(port)} with different protocols (${protocols})`;
  });
}

export const istioConflictChecks: Check[] = [
  {
    id: 'IST109',
    severity: 'error',
    title: 'Two mesh VirtualServices for one host',
    description:
      'VirtualServices bound to the mesh gateway (no gateways, or "mesh") that name the same host (as Istio resolves it, within the same exportTo scope) are not merged for sidecars and waypoints; which one applies is undefined (istioctl IST0109).',
    hint: 'Merge the routes into one VirtualService per host.',
    run: ({ cluster }) => meshVirtualServiceHosts(cluster),
  },
  {
    id: 'IST110',
    severity: 'error',
    title: 'Sidecars competing for the same pods',
    description:
      'Two Sidecar resources whose workloadSelector matches the same pods (IST0110), or more than one Sidecar without a workloadSelector in a namespace (IST0111): Istio applies one of them and ignores the other.',
    hint: 'Keep one namespace-wide Sidecar per namespace and make workload selectors disjoint.',
    run: ({ cluster }) =>
      selectorConflicts(cluster, 'Sidecar', 'Sidecars', 'istio.io', ['spec', 'workloadSelector', 'labels']),
  },
  {
    id: 'IST159',
    severity: 'error',
    title: 'Telemetries competing for the same pods',
    description:
      'Two Telemetry resources whose selector matches the same pods (IST0159), or more than one Telemetry without a selector in a namespace (IST0160): only one of them takes effect.',
    hint: 'Merge them, or make their selectors disjoint (Telemetries attached by targetRefs are not affected).',
    run: ({ cluster }) =>
      selectorConflicts(cluster, 'Telemetry', 'Telemetries', 'istio.io', ['spec', 'selector', 'matchLabels']),
  },
  {
    id: 'IST145',
    severity: 'error',
    title: 'Conflicting Istio Gateways',
    description:
      'Two networking.istio.io Gateways with the same workload selector that both serve one port for overlapping hosts: the gateway pods get conflicting listeners and one server is dropped (istioctl IST0145).',
    hint: 'Serve each host/port once per gateway deployment: merge the servers into one Gateway or use distinct hosts.',
    run: ({ cluster }) => conflictingGateways(cluster),
  },
  {
    id: 'IST177',
    severity: 'warning',
    title: 'ServiceEntries disagree on a port protocol',
    description:
      'ServiceEntries visible in the same namespace that declare the same host and port number with different protocols: the proxy can serve only one, so traffic for the other is mishandled (istioctl IST0177).',
    hint: 'Give the host:port one protocol in every ServiceEntry, or merge the entries.',
    run: ({ cluster }) => serviceEntryProtocols(cluster),
  },
];
