// References between mesh objects inside one cluster: the thing a policy or route names must exist
// and actually select something, or the mesh silently does nothing (or denies everything).

import { chartServiceAccounts } from '../chart-accounts.ts';
import {
  get,
  isObj,
  list,
  matchLabels,
  matchSelector,
  named,
  ofKind,
  type PodTemplate,
  podTemplates,
  strs,
} from '../k8s.ts';
import type { Check, ClusterSet, Issue, K8sObject } from '../model.ts';
import { templatesIn } from '../namespaced.ts';

// `<trust domain>/ns/<ns>/sa/<sa>`; Istio reads a leading or trailing `*` as a prefix or suffix match
// (istio.io AuthorizationPolicy Source.principals), so `*/ns/app/sa/web` still names app/web, while a
// `*` in the namespace or account names no one account.
const PRINCIPAL = /^[^/]+\/ns\/([^/*]+)\/sa\/([^/*]+)$/;

const hasObject = (c: ClusterSet, kind: string, ns: string, name: string): boolean =>
  named(c, kind, ns, name).length > 0;

// Istio creates the ServiceAccount of a Gateway-API-deployed gateway itself: a waypoint runs as
// `<gateway>`, an istio-class gateway as `<gateway>-istio`.
function gatewayAccount(c: ClusterSet, ns: string, sa: string): boolean {
  return ofKind(c, 'Gateway', 'gateway.networking.k8s.io').some((g) => {
    const cls = get(g.body, ['spec', 'gatewayClassName']);
    return (
      g.namespace === ns &&
      ((cls === 'istio-waypoint' && g.name === sa) || (cls === 'istio' && `${g.name}-istio` === sa))
    );
  });
}

/** Whether ServiceAccount ns/sa is neither in the input nor made by a chart or a gateway controller. */
export function accountMissing(c: ClusterSet): (ns: string, sa: string) => boolean {
  const fromCharts = chartServiceAccounts(c);
  return (ns, sa) =>
    sa !== 'default' &&
    !hasObject(c, 'ServiceAccount', ns, sa) &&
    !gatewayAccount(c, ns, sa) &&
    !fromCharts.has(`${ns}/${sa}`);
}

// A pod whose serviceAccountName does not exist is never created: the ReplicaSet's pods are refused.
function podAccounts(c: ClusterSet): Issue[] {
  const missing = accountMissing(c);
  return podTemplates(c).flatMap((t) => {
    const sa = t.spec.serviceAccountName ?? t.spec.serviceAccount;
    if (typeof sa !== 'string' || !missing(t.obj.namespace, sa)) return [];
    const field = t.spec.serviceAccountName === undefined ? 'serviceAccount' : 'serviceAccountName';
    return [
      {
        obj: t.obj,
        path: [...t.specPath, field],
        message: `${field} ${sa} names ServiceAccount ${t.obj.namespace}/${sa}, which is not defined in this cluster; its pods are refused`,
        absent: true,
      },
    ];
  });
}

function serviceAccountRefs(c: ClusterSet): Issue[] {
  const out: Issue[] = [];
  const missing = accountMissing(c);
  for (const ap of ofKind(c, 'AuthorizationPolicy', 'istio.io')) {
    list(get(ap.body, ['spec', 'rules'])).forEach((rule, r) => {
      list(get(rule, ['from'])).forEach((from, f) => {
        for (const field of ['principals', 'notPrincipals']) {
          strs(get(from, ['source', field])).forEach((p, k) => {
            const m = PRINCIPAL.exec(p);
            if (m && missing(m[1] as string, m[2] as string)) {
              out.push({
                obj: ap,
                path: ['spec', 'rules', r, 'from', f, 'source', field, k],
                message: `principal "${p}" names ServiceAccount ${m[1]}/${m[2]}, which is not defined in this cluster`,
                absent: true,
              });
            }
          });
        }
      });
    });
  }
  for (const auth of ofKind(c, 'MeshTLSAuthentication', 'linkerd.io')) {
    list(get(auth.body, ['spec', 'identityRefs'])).forEach((r, i) => {
      if (!isObj(r) || r.kind !== 'ServiceAccount' || typeof r.name !== 'string') return;
      const ns = typeof r.namespace === 'string' ? r.namespace : auth.namespace;
      if (missing(ns, r.name)) {
        out.push({
          obj: auth,
          path: ['spec', 'identityRefs', i, 'name'],
          message: `identityRef names ServiceAccount ${ns}/${r.name}, which is not defined in this cluster`,
          absent: true,
        });
      }
    });
  }
  return out;
}

const servicePorts = (svc: K8sObject): unknown[] => list(get(svc.body, ['spec', 'ports']));

/**
 * Ports of a Service a Flagger Canary generates in its namespace: the apex `<service.name>` (default
 * the target's name) and its `-primary` and `-canary` twins, all on `service.port`.
 */
export function canaryServicePorts(c: ClusterSet, ns: string, name: unknown): unknown[] | undefined {
  for (const canary of ofKind(c, 'Canary', 'flagger.app')) {
    if (canary.namespace !== ns) continue;
    const apex =
      get(canary.body, ['spec', 'service', 'name']) ?? get(canary.body, ['spec', 'targetRef', 'name']);
    if ([apex, `${String(apex)}-primary`, `${String(apex)}-canary`].includes(name))
      return [get(canary.body, ['spec', 'service', 'port'])];
  }
  return undefined;
}

function routeBackends(c: ClusterSet): Issue[] {
  const out: Issue[] = [];
  const routes = [
    ...ofKind(c, 'HTTPRoute', 'gateway.networking.k8s.io'),
    ...ofKind(c, 'GRPCRoute', 'gateway.networking.k8s.io'),
  ];
  for (const route of routes) {
    list(get(route.body, ['spec', 'rules'])).forEach((rule, r) => {
      list(get(rule, ['backendRefs'])).forEach((b, i) => {
        if (!isObj(b) || (b.kind ?? 'Service') !== 'Service' || (b.group ?? '') !== '') return;
        const ns = typeof b.namespace === 'string' ? b.namespace : route.namespace;
        const path = ['spec', 'rules', r, 'backendRefs', i];
        const svc = named(c, 'Service', ns, b.name).find((o) => o.apiVersion === 'v1');
        const ports = svc
          ? servicePorts(svc).map((p) => get(p, ['port']))
          : canaryServicePorts(c, ns, b.name);
        if (!ports) {
          out.push({
            obj: route,
            path: [...path, 'name'],
            message: `backendRef Service ${ns}/${String(b.name)} does not exist`,
            absent: true,
          });
        } else if (b.port === undefined) {
          out.push({
            obj: route,
            path,
            message: `backendRef to Service ${ns}/${String(b.name)} has no port`,
          });
        } else if (!ports.includes(b.port)) {
          out.push({
            obj: route,
            path: [...path, 'port'],
            message: `Service ${ns}/${String(b.name)} has no port ${String(b.port)}`,
          });
        }
      });
    });
  }
  return out;
}

/** Service a mesh host name refers to: `name`, `name.ns`, `name.ns.svc[.cluster.local]`. */
function serviceForHost(c: ClusterSet, host: string, defaultNs: string): K8sObject | undefined {
  const m = /^([a-z0-9-]+)(?:\.([a-z0-9-]+)(?:\.svc(?:\.cluster\.local)?)?)?$/.exec(host);
  if (!m) return undefined;
  const ns = m[2] ?? defaultNs;
  return named(c, 'Service', ns, m[1]).find((o) => o.apiVersion === 'v1');
}

const podsOf = (c: ClusterSet, ns: string, pred: (t: PodTemplate) => boolean): PodTemplate[] =>
  templatesIn(c, ns).filter(pred);

// Labels Istio adds to an endpoint from where it runs, not from the pod template: the node's
// topology.kubernetes.io/region|zone, topology.istio.io/subzone (and the older failure-domain ones),
// the cluster and network it is in, and the node name. A subset may select on them
// (istio.io docs, locality load balancing); the doctor cannot know nodes, so such a label only counts
// against a template that sets it itself.
const PLATFORM_LABEL =
  /^(topology\.kubernetes\.io\/|topology\.istio\.io\/|failure-domain\.beta\.kubernetes\.io\/|kubernetes\.io\/hostname$)/;

function subsetMatches(want: unknown, labels: Record<string, string>): boolean {
  if (!isObj(want)) return true;
  return Object.entries(want).every(
    ([k, v]) => labels[k] === String(v) || (PLATFORM_LABEL.test(k) && !Object.hasOwn(labels, k)),
  );
}

function destinationRuleSubsets(c: ClusterSet): Issue[] {
  const out: Issue[] = [];
  for (const dr of ofKind(c, 'DestinationRule', 'istio.io')) {
    const host = get(dr.body, ['spec', 'host']);
    const svc = typeof host === 'string' ? serviceForHost(c, host, dr.namespace) : undefined;
    if (!svc) continue;
    const selector = get(svc.body, ['spec', 'selector']);
    list(get(dr.body, ['spec', 'subsets'])).forEach((s, i) => {
      const labels = get(s, ['labels']);
      const pods = podsOf(
        c,
        svc.namespace,
        (t) => matchLabels(selector, t.labels) && subsetMatches(labels, t.labels),
      );
      if (pods.length === 0) {
        out.push({
          obj: dr,
          path: ['spec', 'subsets', i, 'labels'],
          message: `subset "${String(get(s, ['name']))}" selects no pod of Service ${svc.namespace}/${svc.name} (requests to it fail with 503)`,
          absent: true,
        });
      }
    });
  }
  return out;
}

function linkerdServers(c: ClusterSet): Issue[] {
  const out: Issue[] = [];
  for (const server of ofKind(c, 'Server', 'linkerd.io')) {
    const selector = get(server.body, ['spec', 'podSelector']);
    if (selector === undefined) continue;
    const pods = podsOf(c, server.namespace, (t) => matchSelector(selector, t.labels));
    if (pods.length === 0) {
      out.push({
        obj: server,
        path: ['spec', 'podSelector'],
        message: `Server ${server.name} selects no pod`,
        absent: true,
      });
      continue;
    }
    const port = get(server.body, ['spec', 'port']);
    const declared = pods.some((t) =>
      list(t.spec.containers).some((ct) =>
        list(get(ct, ['ports'])).some((p) => get(p, ['containerPort']) === port || get(p, ['name']) === port),
      ),
    );
    if (!declared) {
      out.push({
        obj: server,
        path: ['spec', 'port'],
        message: `port ${String(port)} is not a declared containerPort of the selected pods (Linkerd ignores the Server)`,
      });
    }
  }
  return out;
}

function canaryTargets(c: ClusterSet): Issue[] {
  return ofKind(c, 'Canary', 'flagger.app').flatMap((canary) => {
    const kind = get(canary.body, ['spec', 'targetRef', 'kind']);
    const name = get(canary.body, ['spec', 'targetRef', 'name']);
    if (typeof kind !== 'string' || typeof name !== 'string' || hasObject(c, kind, canary.namespace, name))
      return [];
    return [
      {
        obj: canary,
        path: ['spec', 'targetRef', 'name'],
        message: `targetRef ${kind} ${canary.namespace}/${name} does not exist`,
        absent: true,
      },
    ];
  });
}

export const referenceChecks: Check[] = [
  {
    id: 'REF011',
    severity: 'error',
    title: 'Pod ServiceAccount missing',
    description:
      "A pod template's serviceAccountName names a ServiceAccount this cluster does not define (nor does a chart it installs or a gateway controller), so its pods are refused at creation (kube-linter non-existent-service-account).",
    hint: 'Add the ServiceAccount beside the workload, or fix serviceAccountName.',
    run: ({ cluster }) => podAccounts(cluster),
  },
  {
    id: 'REF001',
    severity: 'error',
    title: 'Policy principal names a missing ServiceAccount',
    description:
      'An Istio AuthorizationPolicy principal (cluster.local/ns/<ns>/sa/<sa>) or a Linkerd MeshTLSAuthentication identityRef names a ServiceAccount that this cluster does not define, so the rule can never match.',
    hint: 'Create the ServiceAccount and use it in the client workload, or fix the principal.',
    run: ({ cluster }) => serviceAccountRefs(cluster),
  },
  {
    id: 'REF002',
    severity: 'error',
    title: 'Route backend is not a Service port',
    description:
      'An HTTPRoute/GRPCRoute backendRef names a Service that does not exist (nor will: Services a Flagger Canary generates count), or a port that Service does not expose.',
    hint: 'Point backendRefs at an existing Service and one of its spec.ports[].port values.',
    run: ({ cluster }) => routeBackends(cluster),
  },
  {
    id: 'REF003',
    severity: 'error',
    title: 'DestinationRule subset selects no pod',
    description:
      "A DestinationRule subset's labels (together with the Service selector) match no pod template, so traffic routed to the subset gets 503 (istioctl IST0173).",
    hint: 'Make the subset labels match labels on the pod template of the Service’s workloads.',
    run: ({ cluster }) => destinationRuleSubsets(cluster),
  },
  {
    id: 'REF004',
    severity: 'error',
    title: 'Linkerd Server selects nothing or an undeclared port',
    description:
      'A Server whose podSelector matches no pod, or whose port is not a containerPort (number or name) of the selected pods, has no effect.',
    hint: 'Match the podSelector to the workload labels and declare the port in the container spec.',
    run: ({ cluster }) => linkerdServers(cluster),
  },
  {
    id: 'REF005',
    severity: 'error',
    title: 'Flagger Canary target missing',
    description: "A Canary's targetRef names a workload that does not exist in its namespace.",
    hint: 'Point spec.targetRef at the Deployment/DaemonSet the Canary should manage.',
    run: ({ cluster }) => canaryTargets(cluster),
  },
];
