// Istio routing references that lead nowhere: VirtualService destinations (host, port, subset) and
// gateways, DestinationRule hosts. Mirrors istioctl analyze's DestinationHostAnalyzer, SubsetAnalyzer
// and GatewayAnalyzer (istio/istio pkg/config/analysis/analyzers/virtualservice/), read statically.
import { madeAtInstall } from '../chart-services.ts';
import { get, group, isObj, list, named, ofKind, strs } from '../k8s.ts';
import type { Check, ClusterSet, Issue, K8sObject, Path } from '../model.ts';
import { canaryServicePorts } from './references.ts';

interface Destination {
  host: string;
  subset?: string;
  port?: unknown;
  path: Path;
}

/** Every Destination of a VirtualService: http/tcp/tls routes and http mirrors. */
function destinations(vs: K8sObject): Destination[] {
  const out: Destination[] = [];
  const add = (d: unknown, path: Path) => {
    if (!isObj(d) || typeof d.host !== 'string') return;
    out.push({
      host: d.host,
      ...(typeof d.subset === 'string' ? { subset: d.subset } : {}),
      port: get(d, ['port', 'number']),
      path,
    });
  };
  for (const kind of ['http', 'tcp', 'tls']) {
    list(get(vs.body, ['spec', kind])).forEach((rule, r) => {
      list(get(rule, ['route'])).forEach((route, i) => {
        add(get(route, ['destination']), ['spec', kind, r, 'route', i, 'destination']);
      });
      if (kind !== 'http') return;
      add(get(rule, ['mirror']), ['spec', kind, r, 'mirror']);
      list(get(rule, ['mirrors'])).forEach((m, i) => {
        add(get(m, ['destination']), ['spec', kind, r, 'mirrors', i, 'destination']);
      });
    });
  }
  return out;
}

// Istio reads a host without dots as a Service in the config's namespace; `name.ns[.svc[.cluster.local]]`
// names a Service too (Kubernetes DNS and Istio's generated domains both accept the short forms).
const SERVICE_HOST = /^([a-z0-9-]+)(?:\.([a-z0-9-]+)(?:\.svc(?:\.cluster\.local)?)?)?$/;

/** What a host resolves to: known ports (empty when unknown), 'unknown' when it cannot be judged, or missing. */
type Resolved = { fqdn: string; ports: number[] } | 'unknown' | undefined;

const wildcardMatch = (pattern: string, host: string): boolean =>
  pattern === host || (pattern.startsWith('*') && host.endsWith(pattern.slice(1)));

// Built once per cluster set: every check of this file resolves hosts through it.
const resolvers = new WeakMap<ClusterSet, (host: string, ns: string) => Resolved>();

function hostResolver(c: ClusterSet): (host: string, ns: string) => Resolved {
  const cached = resolvers.get(c);
  if (cached) return cached;
  const installed = madeAtInstall(c);
  const numbers = (ports: unknown[]): number[] => ports.filter((p): p is number => typeof p === 'number');
  const entries = ofKind(c, 'ServiceEntry', 'istio.io').map((se) => ({
    hosts: strs(get(se.body, ['spec', 'hosts'])),
    ports: numbers(list(get(se.body, ['spec', 'ports'])).map((p) => get(p, ['number']))),
  }));
  const resolve = (host: string, defaultNs: string): Resolved => {
    if (host.includes('*')) return 'unknown';
    const m = SERVICE_HOST.exec(host);
    if (m) {
      const name = m[1] as string;
      const ns = m[2] ?? defaultNs;
      const fqdn = `${name}.${ns}.svc.cluster.local`;
      const svc = named(c, 'Service', ns, name).find((o) => o.apiVersion === 'v1');
      const ports = svc ? list(get(svc.body, ['spec', 'ports'])).map((p) => get(p, ['port'])) : undefined;
      const known = ports ?? canaryServicePorts(c, ns, name);
      if (known) return { fqdn, ports: numbers(known) };
      if (installed(ns, name)) return 'unknown';
    }
    const entry = entries.find((e) => e.hosts.some((h) => wildcardMatch(h, host)));
    return entry ? { fqdn: host, ports: entry.ports } : undefined;
  };
  resolvers.set(c, resolve);
  return resolve;
}

function missingHosts(c: ClusterSet): Issue[] {
  const resolve = hostResolver(c);
  return ofKind(c, 'VirtualService', 'istio.io').flatMap((vs) =>
    destinations(vs)
      .filter((d) => resolve(d.host, vs.namespace) === undefined)
      .map((d) => ({
        obj: vs,
        path: [...d.path, 'host'],
        message: `destination host ${d.host} is neither a Service nor a ServiceEntry host in this cluster; requests routed there fail`,
        absent: true,
      })),
  );
}

function destinationPorts(c: ClusterSet): Issue[] {
  const resolve = hostResolver(c);
  const out: Issue[] = [];
  for (const vs of ofKind(c, 'VirtualService', 'istio.io')) {
    for (const d of destinations(vs)) {
      const r = resolve(d.host, vs.namespace);
      if (r === undefined || r === 'unknown' || r.ports.length === 0) continue;
      if (d.port === undefined && r.ports.length > 1) {
        out.push({
          obj: vs,
          path: [...d.path, 'host'],
          message: `destination ${d.host} has ports ${r.ports.join(', ')} and names none of them (istioctl IST0112); which one receives the traffic is undefined`,
        });
      } else if (typeof d.port === 'number' && !r.ports.includes(d.port)) {
        out.push({
          obj: vs,
          path: [...d.path, 'port', 'number'],
          message: `destination ${d.host} has no port ${d.port} (its ports: ${r.ports.join(', ')})`,
        });
      }
    }
  }
  return out;
}

interface RuleHost {
  pattern: string;
  names: unknown[];
  dr: K8sObject;
}

/**
 * DestinationRules by the FQDN of their host, and those with a wildcard host apart: a destination
 * looks up its own FQDN, then scans only the wildcards (a linear scan of every rule per destination
 * makes a large input quadratic).
 */
function rulesByHost(c: ClusterSet, resolve: ReturnType<typeof hostResolver>) {
  const exact = new Map<string, RuleHost[]>();
  const wildcards: RuleHost[] = [];
  for (const dr of ofKind(c, 'DestinationRule', 'istio.io')) {
    const host = get(dr.body, ['spec', 'host']);
    if (typeof host !== 'string') continue;
    const r = resolve(host, dr.namespace);
    const rule = {
      pattern: typeof r === 'object' ? r.fqdn : host,
      names: list(get(dr.body, ['spec', 'subsets'])).map((s) => get(s, ['name'])),
      dr,
    };
    if (rule.pattern.startsWith('*')) wildcards.push(rule);
    else exact.set(rule.pattern, [...(exact.get(rule.pattern) ?? []), rule]);
  }
  return (fqdn: string): RuleHost[] => [
    ...(exact.get(fqdn) ?? []),
    ...wildcards.filter((w) => wildcardMatch(w.pattern, fqdn)),
  ];
}

function missingSubsets(c: ClusterSet): Issue[] {
  const resolve = hostResolver(c);
  const rulesFor = rulesByHost(c, resolve);
  const out: Issue[] = [];
  for (const vs of ofKind(c, 'VirtualService', 'istio.io')) {
    for (const d of destinations(vs)) {
      if (d.subset === undefined) continue;
      const r = resolve(d.host, vs.namespace);
      if (r === 'unknown') continue;
      const matching = rulesFor(r?.fqdn ?? d.host);
      if (matching.some((x) => x.names.includes(d.subset))) continue;
      const where =
        matching.length === 0
          ? `no DestinationRule is defined for host ${d.host}`
          : `DestinationRule ${matching.map((x) => `${x.dr.namespace}/${x.dr.name}`).join(', ')} defines no subset "${d.subset}"`;
      out.push({
        obj: vs,
        path: [...d.path, 'subset'],
        message: `route to subset "${d.subset}" of ${d.host}, but ${where}; requests to it fail with 503`,
        absent: true,
      });
    }
  }
  return out;
}

/**
 * The `[namespace, name]` of an Istio Gateway a `gateways` entry names: `<namespace>/<name>`, a bare
 * name in `defaultNs`, or the legacy dotted `<name>.<namespace>[.svc.cluster.local]` form Istio still
 * resolves. Undefined for `mesh` and for the Gateways Istio generates from Gateway API ones, which
 * exist at runtime only (IST165 reports binding to them).
 */
export function istioGatewayRef(name: string, defaultNs: string): [string, string] | undefined {
  if (name === 'mesh' || name.includes('-istio-autogenerated-k8s-gateway')) return undefined;
  const slash = name.indexOf('/');
  if (slash >= 0) return [name.slice(0, slash), name.slice(slash + 1)];
  const dotted = name.split('.');
  return dotted.length > 1 ? [dotted[1] as string, dotted[0] as string] : [defaultNs, name];
}

function missingGateways(c: ClusterSet): Issue[] {
  const out: Issue[] = [];
  for (const vs of ofKind(c, 'VirtualService', 'istio.io')) {
    const check = (name: string, path: Path) => {
      const ref = istioGatewayRef(name, vs.namespace);
      if (!ref) return;
      const [ns, gw] = ref;
      if (named(c, 'Gateway', ns, gw).some((g) => g.apiVersion.includes('istio.io'))) return;
      out.push({
        obj: vs,
        path,
        message: `gateways names Istio Gateway ${ns}/${gw}, which is not defined in this cluster; the routes never apply to it`,
        absent: true,
      });
    };
    strs(get(vs.body, ['spec', 'gateways'])).forEach((g, i) => {
      check(g, ['spec', 'gateways', i]);
    });
    list(get(vs.body, ['spec', 'http'])).forEach((rule, r) => {
      list(get(rule, ['match'])).forEach((m, j) => {
        strs(get(m, ['gateways'])).forEach((g, i) => {
          check(g, ['spec', 'http', r, 'match', j, 'gateways', i]);
        });
      });
    });
  }
  return out;
}

function unknownRuleHosts(c: ClusterSet): Issue[] {
  const resolve = hostResolver(c);
  return ofKind(c, 'DestinationRule', 'istio.io').flatMap((dr) => {
    const host = get(dr.body, ['spec', 'host']);
    if (typeof host !== 'string' || resolve(host, dr.namespace) !== undefined) return [];
    return [
      {
        obj: dr,
        path: ['spec', 'host'],
        message: `host ${host} is neither a Service nor a ServiceEntry host in this cluster, so the rule applies to nothing`,
        absent: true,
      },
    ];
  });
}

// Namespaces that exist or will: committed ones, the built-in ones, those a HelmRelease creates
// (install.createNamespace) and any an object of the tree is applied to, a Flux HelmRelease's or
// Kustomization's spec.targetNamespace included (Flux applies what they render there).
const BUILT_IN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

function knownNamespaces(c: ClusterSet): Set<string> {
  const out = new Set(BUILT_IN_NAMESPACES);
  for (const o of c.objects) {
    if (o.namespace !== '') out.add(o.namespace);
    if (o.kind === 'Namespace') out.add(o.name);
    const target = get(o.body, ['spec', 'targetNamespace']);
    // Of Flux's kinds only HelmRelease and Kustomization have the field.
    if (group(o.apiVersion).endsWith('fluxcd.io') && typeof target === 'string') out.add(target);
  }
  return out;
}

function missingSourceNamespaces(c: ClusterSet): Issue[] {
  const known = knownNamespaces(c);
  const out: Issue[] = [];
  for (const ap of ofKind(c, 'AuthorizationPolicy', 'istio.io')) {
    list(get(ap.body, ['spec', 'rules'])).forEach((rule, r) => {
      list(get(rule, ['from'])).forEach((from, f) => {
        for (const field of ['namespaces', 'notNamespaces']) {
          strs(get(from, ['source', field])).forEach((ns, k) => {
            // Istio matches prefixes and suffixes with `*`; such a pattern names no one namespace.
            if (ns.includes('*') || known.has(ns)) return;
            out.push({
              obj: ap,
              path: ['spec', 'rules', r, 'from', f, 'source', field, k],
              message: `source ${field} names namespace ${ns}, which nothing in this cluster defines or uses; the rule can never match it`,
              absent: true,
            });
          });
        }
      });
    });
  }
  return out;
}

export const istioReferenceChecks: Check[] = [
  {
    id: 'REF020',
    severity: 'error',
    title: 'VirtualService destination host missing',
    description:
      'A VirtualService route or mirror sends traffic to a host that is neither a Service (nor one a Flagger Canary, a chart or a gateway controller creates) nor a ServiceEntry host, so those requests fail (istioctl IST0101 ReferencedResourceNotFound, host).',
    hint: 'Point destination.host at an existing Service (name, name.namespace or its FQDN) or declare the external host in a ServiceEntry.',
    run: ({ cluster }) => missingHosts(cluster),
  },
  {
    id: 'REF021',
    severity: 'error',
    title: 'VirtualService subset not defined',
    description:
      'A VirtualService destination names a subset that no DestinationRule for its host defines, so Envoy has no cluster for it and the route returns 503 (istioctl IST0101 ReferencedResourceNotFound, subset).',
    hint: 'Add the subset to the DestinationRule of that host (spec.subsets[].name), or fix the subset name in the route.',
    run: ({ cluster }) => missingSubsets(cluster),
  },
  {
    id: 'REF022',
    severity: 'error',
    title: 'VirtualService gateway missing',
    description:
      'A VirtualService `gateways` entry (or a match `gateways`) names an Istio Gateway (networking.istio.io) that does not exist, so the routes are bound to nothing (istioctl IST0101 ReferencedResourceNotFound, gateway).',
    hint: 'Name an existing Istio Gateway as <namespace>/<name> (or <name> in the VirtualService’s namespace), or `mesh` for sidecars.',
    run: ({ cluster }) => missingGateways(cluster),
  },
  {
    id: 'REF023',
    severity: 'warning',
    title: 'DestinationRule host unknown',
    description:
      'A DestinationRule whose host is neither a Service nor a ServiceEntry host configures nothing: its traffic policy and subsets never apply (istioctl IST0174 UnknownDestinationRuleHost, a warning upstream too).',
    hint: 'Set spec.host to the Service the rule is for (name, name.namespace or its FQDN), or delete the rule.',
    run: ({ cluster }) => unknownRuleHosts(cluster),
  },
  {
    id: 'REF024',
    severity: 'error',
    title: 'VirtualService destination port wrong or ambiguous',
    description:
      'A VirtualService destination names a port its Service or ServiceEntry does not have (istioctl IST0101, host:port), or names no port while the Service has several, which leaves the port undefined (istioctl IST0112 VirtualServiceDestinationPortSelectorRequired).',
    hint: 'Set destination.port.number to one of the ports of the Service (spec.ports[].port).',
    run: ({ cluster }) => destinationPorts(cluster),
  },
  {
    id: 'REF037',
    severity: 'error',
    title: 'AuthorizationPolicy source namespace missing',
    description:
      'An Istio AuthorizationPolicy rule’s source.namespaces (or notNamespaces) names a namespace that no Namespace object, Flux HelmRelease or Kustomization targetNamespace or other object of the cluster defines or uses, so that part of the rule never matches (istioctl IST0101 ReferencedResourceNotFound, namespace).',
    hint: 'Fix the namespace name (a typo is the usual cause), or commit the Namespace.',
    run: ({ cluster }) => missingSourceNamespaces(cluster),
  },
];
