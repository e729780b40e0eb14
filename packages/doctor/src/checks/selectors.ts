// Selectors that select nothing: a Service without endpoints, a policy that protects no pod, a PDB or
// HPA that guards or scales nothing. Each is tried against every pod the cluster will run (see
// pod-sets.ts); a selector whose namespace gets its pods from outside the files is at most a warning.
import { gatewayServices } from '../chart-services.ts';
import { get, isObj, list, named, ofKind, SYSTEM_NAMESPACES } from '../k8s.ts';
import { istioRootNamespace, namespaceObject, namespaces } from '../mesh.ts';
import type { Check, ClusterSet, Issue, K8sObject, Path } from '../model.ts';
import {
  labelSelector,
  matchMap,
  mayMatch,
  type PodSet,
  podSets,
  podSetsIn,
  type Requirement,
  stringMap,
} from '../pod-sets.ts';
import { canaryServicePorts } from './references.ts';

const ANY_NAMESPACE = '*';

const describe = (reqs: Requirement[]): string =>
  reqs
    .map((r) =>
      r.operator === 'In' && r.values.length === 1
        ? `${r.key}=${r.values[0]}`
        : `${r.key} ${r.operator}${r.values.length ? ` (${r.values.join(', ')})` : ''}`,
    )
    .join(', ');

/** Up to three pod sources of the namespace with their labels: what the selector could have meant. */
const setsIn = (c: ClusterSet, ns: string): PodSet[] =>
  ns === ANY_NAMESPACE ? podSets(c) : podSetsIn(c, ns);

function nearby(c: ClusterSet, ns: string): string {
  const sets = setsIn(c, ns);
  if (sets.length === 0) return '';
  const shown = sets
    .slice(0, 3)
    .map((s) => `${s.source} (${describe(matchMap(s.labels)) || 'no labels'})`)
    .join('; ');
  return `; pods there: ${shown}${sets.length > 3 ? `; and ${sets.length - 3} more` : ''}`;
}

/**
 * The issue for `obj` whose selector (`reqs`, at `path`) matches no pod in `ns` (ANY_NAMESPACE for a
 * mesh-wide one), or none when some pod may match. `what` names the selector in the message.
 */
function selectsNothing(
  c: ClusterSet,
  obj: K8sObject,
  path: Path,
  reqs: Requirement[],
  ns: string,
  what: string,
): Issue[] {
  const sets = setsIn(c, ns);
  if (sets.some((s) => mayMatch(reqs, s))) return [];
  const where = ns === ANY_NAMESPACE ? 'in any namespace' : `in namespace ${ns}`;
  const message = `${what} selects no pod: nothing ${where} has ${describe(reqs)}`;
  // A namespace the files put no pods in and do not create (kube-system, say) gets its pods from
  // whoever installed the cluster: the selector may well match there.
  if (ns !== ANY_NAMESPACE && sets.length === 0) {
    const created = namespaceObject(c, ns) !== undefined && !SYSTEM_NAMESPACES.has(ns);
    if (!created)
      return [
        {
          obj,
          path,
          message: `${message}; the checked files run no pods in ${ns}, so they may come from elsewhere`,
          outside: true,
        },
      ];
  }
  return [{ obj, path, message: `${message}${nearby(c, ns)}`, absent: true }];
}

/** A chart or an operator installs into `ns`: it may create objects under names the doctor cannot know. */
const chartOrOperatorIn = (c: ClusterSet, ns: string): boolean => podSetsIn(c, ns).some((s) => s.open);

const ref = (o: K8sObject): string => `${o.kind} ${o.namespace}/${o.name}`;

function services(c: ClusterSet): Issue[] {
  return ofKind(c, 'Service').flatMap((svc) => {
    const reqs = matchMap(get(svc.body, ['spec', 'selector']));
    if (svc.apiVersion !== 'v1' || reqs.length === 0 || get(svc.body, ['spec', 'type']) === 'ExternalName')
      return [];
    return selectsNothing(c, svc, ['spec', 'selector'], reqs, svc.namespace, ref(svc));
  });
}

// Namespaces every cluster has, whose pods (CoreDNS in kube-system, say) the installer creates: a
// peer reaching into one of them cannot be judged from the files.
const BUILT_IN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/**
 * The namespaces the cluster will have, with their labels: the Namespace objects of the files, every
 * namespace an object is placed in, and the built-in ones. Since Kubernetes 1.22 the API server sets
 * `kubernetes.io/metadata.name=<name>` on every namespace (kubernetes.io docs, "Well-Known Labels").
 */
function namespaceLabels(c: ClusterSet): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  const add = (name: string, labels: Record<string, string>) =>
    out.set(name, { ...out.get(name), ...labels, 'kubernetes.io/metadata.name': name });
  for (const name of BUILT_IN_NAMESPACES) add(name, {});
  for (const o of c.objects) if (o.namespace) add(o.namespace, {});
  for (const ns of namespaces(c)) add(ns.name, stringMap(get(ns.body, ['metadata', 'labels'])));
  return out;
}

/**
 * A peer with a namespaceSelector (kube-linter dangling-networkpolicypeer-podselector across
 * namespaces): the namespaces whose labels match, then the pods there its podSelector (empty: all)
 * matches. A namespace the files do not define may exist anyway, so "no namespace" is at most a warning.
 */
function crossNamespacePeer(c: ClusterSet, np: K8sObject, peer: unknown, at: Path, what: string): Issue[] {
  const nsReqs = labelSelector(get(peer, ['namespaceSelector']));
  const podReqs = labelSelector(get(peer, ['podSelector']));
  const known = namespaceLabels(c);
  const selected = [...known]
    .filter(([name, labels]) => mayMatch(nsReqs, { namespace: name, labels, open: false, source: '' }))
    .map(([name]) => name);
  if (selected.length === 0) {
    const names = [...known.keys()].sort();
    const shown = `${names.slice(0, 5).join(', ')}${names.length > 5 ? `, and ${names.length - 5} more` : ''}`;
    return [
      {
        obj: np,
        path: [...at, 'namespaceSelector'],
        message: `${what} selects no namespace: none of the checked files' namespaces (${shown}) has ${describe(nsReqs)}; it may exist outside them`,
        outside: true,
      },
    ];
  }
  const path = [...at, get(peer, ['podSelector']) === undefined ? 'namespaceSelector' : 'podSelector'];
  if (selected.some((ns) => podSetsIn(c, ns).some((s) => mayMatch(podReqs, s)))) return [];
  const unknown = selected.filter((ns) => podSetsIn(c, ns).length === 0);
  // kube-system and its kind run pods the files never show.
  if (unknown.some((ns) => BUILT_IN_NAMESPACES.includes(ns))) return [];
  const pods = podReqs.length > 0 ? `has ${describe(podReqs)}` : 'runs there';
  const where = selected.length === 1 ? `namespace ${selected[0]}` : `namespaces ${selected.join(', ')}`;
  const message = `${what} selects no pod: nothing in ${where} ${pods}`;
  const outside = unknown.filter((ns) => namespaceObject(c, ns) === undefined || SYSTEM_NAMESPACES.has(ns));
  if (outside.length > 0)
    return [
      {
        obj: np,
        path,
        message: `${message}; the checked files run no pods in ${outside.join(', ')}, so they may come from elsewhere`,
        outside: true,
      },
    ];
  const near = selected.length === 1 ? nearby(c, selected[0] as string) : '';
  return [{ obj: np, path, message: `${message}${near}`, absent: true }];
}

// A rule's peer with a podSelector and no namespaceSelector means pods of the policy's own namespace
// (kube-linter dangling-networkpolicypeer-podselector); one with a namespaceSelector is resolved
// across the namespaces it selects.
function peerSelectors(c: ClusterSet, np: K8sObject): Issue[] {
  const out: Issue[] = [];
  for (const [dir, peers] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    list(get(np.body, ['spec', dir])).forEach((rule, r) => {
      list(get(rule, [peers])).forEach((peer, p) => {
        const what = `${dir} peer ${peers}[${p}] of ${ref(np)}`;
        const at = ['spec', dir, r, peers, p];
        if (get(peer, ['namespaceSelector']) !== undefined) {
          out.push(...crossNamespacePeer(c, np, peer, at, what));
          return;
        }
        const reqs = labelSelector(get(peer, ['podSelector']));
        if (reqs.length === 0) return;
        out.push(...selectsNothing(c, np, [...at, 'podSelector'], reqs, np.namespace, what));
      });
    });
  }
  return out;
}

function networkPolicies(c: ClusterSet): Issue[] {
  return ofKind(c, 'NetworkPolicy', 'networking.k8s.io').flatMap((np) => {
    // An empty podSelector selects every pod of the namespace: a namespace-wide policy is fine.
    const reqs = labelSelector(get(np.body, ['spec', 'podSelector']));
    const own =
      reqs.length === 0
        ? []
        : selectsNothing(c, np, ['spec', 'podSelector'], reqs, np.namespace, `podSelector of ${ref(np)}`);
    return [...own, ...peerSelectors(c, np)];
  });
}

function disruptionBudgets(c: ClusterSet): Issue[] {
  return ofKind(c, 'PodDisruptionBudget', 'policy').flatMap((pdb) => {
    const reqs = labelSelector(get(pdb.body, ['spec', 'selector']));
    if (reqs.length === 0) return [];
    return selectsNothing(c, pdb, ['spec', 'selector'], reqs, pdb.namespace, `selector of ${ref(pdb)}`);
  });
}

/** Workloads something other than the files creates: Flagger's `<target>-primary` copies. */
function generatedWorkload(c: ClusterSet, kind: string, ns: string, name: string): boolean {
  return ofKind(c, 'Canary', 'flagger.app').some(
    (canary) =>
      canary.namespace === ns &&
      get(canary.body, ['spec', 'targetRef', 'kind']) === kind &&
      `${String(get(canary.body, ['spec', 'targetRef', 'name']))}-primary` === name,
  );
}

function autoscalers(c: ClusterSet): Issue[] {
  return ofKind(c, 'HorizontalPodAutoscaler', 'autoscaling').flatMap((hpa) => {
    const target = get(hpa.body, ['spec', 'scaleTargetRef']);
    if (!isObj(target) || typeof target.kind !== 'string' || typeof target.name !== 'string') return [];
    const { kind, name } = target;
    if (named(c, kind, hpa.namespace, name).length > 0 || generatedWorkload(c, kind, hpa.namespace, name))
      return [];
    if (chartOrOperatorIn(c, hpa.namespace)) return [];
    return [
      {
        obj: hpa,
        path: ['spec', 'scaleTargetRef', 'name'],
        message: `scaleTargetRef ${kind} ${hpa.namespace}/${name} of ${ref(hpa)} does not exist; the HPA scales nothing`,
        absent: true,
      },
    ];
  });
}

// Istio policies that pick workloads by label: the selector field, and whether it is a LabelSelector
// with matchLabels (`selector`) or a plain map (Sidecar `workloadSelector.labels`).
const ISTIO_SELECTORS: { kind: string; path: Path }[] = [
  { kind: 'AuthorizationPolicy', path: ['spec', 'selector', 'matchLabels'] },
  { kind: 'RequestAuthentication', path: ['spec', 'selector', 'matchLabels'] },
  { kind: 'PeerAuthentication', path: ['spec', 'selector', 'matchLabels'] },
  { kind: 'Sidecar', path: ['spec', 'workloadSelector', 'labels'] },
];

const targetRefs = (o: K8sObject): unknown[] => [
  ...list(get(o.body, ['spec', 'targetRefs'])),
  ...(isObj(get(o.body, ['spec', 'targetRef'])) ? [get(o.body, ['spec', 'targetRef'])] : []),
];

// What a targetRef may name and how to find it (istio.io reference, PolicyTargetReference: Gateway,
// Service, ServiceEntry, GatewayClass; the referenced object is in the policy's namespace). Services
// a Flagger Canary or Istio's gateway deployment creates count; Istio creates its GatewayClasses
// itself, so those are not looked up.
function targetExists(c: ClusterSet, ns: string, r: Record<string, unknown>): boolean {
  const name = r.name;
  if (typeof name !== 'string') return true;
  switch (r.kind) {
    case 'Gateway':
      // Only a Gateway API Gateway: Istio matches a targetRef by group and kind
      // (pilot/pkg/model/policyattachment.go, matchesGroupKind), so its own networking.istio.io
      // Gateway of that name takes no policy this way.
      return named(c, 'Gateway', ns, name).some((g) => g.apiVersion.startsWith('gateway.networking.k8s.io/'));
    case 'Service':
      return (
        named(c, 'Service', ns, name).length > 0 ||
        canaryServicePorts(c, ns, name) !== undefined ||
        gatewayServices(c).has(`${ns}/${name}`)
      );
    case 'ServiceEntry':
      return named(c, 'ServiceEntry', ns, name).length > 0;
    default:
      return true;
  }
}

function istioPolicies(c: ClusterSet): Issue[] {
  const root = istioRootNamespace(c);
  const out: Issue[] = [];
  for (const { kind, path } of ISTIO_SELECTORS) {
    for (const p of ofKind(c, kind, 'istio.io')) {
      const refs = targetRefs(p);
      if (refs.length > 0) {
        // A policy attached by targetRef(s) applies to its targets, whatever selector it also carries.
        refs.forEach((r, i) => {
          if (!isObj(r) || targetExists(c, p.namespace, r) || chartOrOperatorIn(c, p.namespace)) return;
          const field = get(p.body, ['spec', 'targetRefs']) !== undefined ? ['targetRefs', i] : ['targetRef'];
          out.push({
            obj: p,
            path: ['spec', ...field, 'name'],
            message: `${ref(p)} is attached to ${String(r.kind)} ${p.namespace}/${String(r.name)}, which does not exist; the policy applies to nothing`,
            absent: true,
          });
        });
        continue;
      }
      const reqs = matchMap(get(p.body, path));
      // Without a selector the policy covers its namespace (or the mesh, in the root namespace).
      if (reqs.length === 0) continue;
      const ns = p.namespace === root ? ANY_NAMESPACE : p.namespace;
      out.push(...selectsNothing(c, p, path, reqs, ns, `selector of ${ref(p)}`));
    }
  }
  return out;
}

// Cilium labels carry a source prefix (`k8s:`, `any:`); other sources and the labels Cilium derives
// from the pod's context (namespace, service account, cluster) are not on the pod template, so a
// requirement on them is not judged here (cilium/cilium Documentation/security/policy/language.rst).
const CILIUM_DERIVED = /^(io\.kubernetes\.pod\.|io\.cilium\.|io\.kubernetes\.serviceaccount)/;

function ciliumRequirements(selector: unknown): Requirement[] | undefined {
  const reqs: Requirement[] = [];
  for (const r of labelSelector(selector)) {
    const m = /^(?:(k8s|any|[a-z-]+):)?(.*)$/.exec(r.key) as RegExpExecArray;
    const source = m[1];
    const key = m[2] as string;
    if ((source !== undefined && source !== 'k8s' && source !== 'any') || CILIUM_DERIVED.test(key)) continue;
    reqs.push({ ...r, key });
  }
  return reqs.length > 0 ? reqs : undefined;
}

function ciliumPolicies(c: ClusterSet): Issue[] {
  const out: Issue[] = [];
  const policies = [
    ...ofKind(c, 'CiliumNetworkPolicy', 'cilium.io'),
    ...ofKind(c, 'CiliumClusterwideNetworkPolicy', 'cilium.io'),
  ];
  for (const p of policies) {
    const ns = p.kind === 'CiliumClusterwideNetworkPolicy' ? ANY_NAMESPACE : p.namespace;
    // A policy holds one rule in `spec` and/or several in `specs`.
    const rules: [unknown, Path][] = [[get(p.body, ['spec']), ['spec']]];
    list(get(p.body, ['specs'])).forEach((s, i) => {
      rules.push([s, ['specs', i]]);
    });
    for (const [rule, at] of rules) {
      const reqs = ciliumRequirements(get(rule, ['endpointSelector']));
      if (!reqs) continue;
      out.push(
        ...selectsNothing(
          c,
          p,
          [...at, 'endpointSelector'],
          reqs,
          ns,
          `endpointSelector of ${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name}`,
        ),
      );
    }
  }
  return out;
}

export const selectorChecks: Check[] = [
  {
    id: 'SEL001',
    severity: 'error',
    title: 'Service selects no pod',
    description:
      'A Service whose selector matches no pod template in the cluster (nor a Flagger primary, nor a chart’s podLabels) has no endpoints: every request to it fails (kube-linter dangling-service).',
    hint: 'Make spec.selector a subset of the labels on the pod template of the workload it fronts.',
    run: ({ cluster }) => services(cluster),
  },
  {
    id: 'SEL002',
    severity: 'error',
    title: 'NetworkPolicy selects no pod',
    description:
      'A NetworkPolicy whose non-empty podSelector matches no pod of its namespace protects nothing (kube-linter dangling-networkpolicy), and a rule peer whose podSelector matches no pod of the namespace allows nothing (dangling-networkpolicypeer-podselector); a peer with a namespaceSelector is tried against the namespaces whose labels match (each has kubernetes.io/metadata.name=<name>) and their pods. An empty podSelector (the whole namespace) is fine.',
    hint: 'Match spec.podSelector to the pod template labels of the workload to protect, or use {} for the whole namespace.',
    run: ({ cluster }) => networkPolicies(cluster),
  },
  {
    id: 'SEL003',
    severity: 'error',
    title: 'PodDisruptionBudget selects no pod',
    description:
      'A PodDisruptionBudget whose selector matches no pod guards nothing: voluntary evictions (node drains, upgrades) take the workload down at once (kube-linter pdb checks).',
    hint: 'Make spec.selector match the labels of the workload’s pod template.',
    run: ({ cluster }) => disruptionBudgets(cluster),
  },
  {
    id: 'SEL004',
    severity: 'error',
    title: 'HorizontalPodAutoscaler target missing',
    description:
      "An HPA's scaleTargetRef names a workload the cluster does not define (Flagger's generated -primary copies count), so nothing is scaled.",
    hint: 'Point spec.scaleTargetRef at the Deployment/StatefulSet to scale (kind and name).',
    run: ({ cluster }) => autoscalers(cluster),
  },
  {
    id: 'SEL005',
    severity: 'error',
    title: 'Istio policy selects no workload',
    description:
      'An AuthorizationPolicy, RequestAuthentication, PeerAuthentication or Sidecar whose workload selector matches no pod (in its namespace, or any namespace from the root namespace) applies to nothing (istioctl IST0127); one attached by targetRef(s) is judged by its targets, which must exist. Policies without a selector cover their namespace and are fine.',
    hint: 'Match the selector to the pod template labels, or attach the policy with targetRefs to an existing Gateway/Service.',
    run: ({ cluster }) => istioPolicies(cluster),
  },
  {
    id: 'SEL006',
    severity: 'error',
    title: 'Cilium policy selects no endpoint',
    description:
      'A CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy whose endpointSelector matches no pod applies to nothing. Labels Cilium derives from the pod’s context (namespace, service account) are not judged; an empty selector selects all.',
    hint: 'Match endpointSelector to the pod template labels (k8s: prefix optional).',
    run: ({ cluster }) => ciliumPolicies(cluster),
  },
];
