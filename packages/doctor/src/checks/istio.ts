// Istio semantics that only show up at runtime, with ambient mode in mind (ztunnel vs waypoint).
import { get, list, ofKind, strs } from '../k8s.ts';
import { isAmbientNamespace, namespaces } from '../mesh.ts';
import type { Check, ClusterSet, Issue, K8sObject } from '../model.ts';

const L7_OPERATION = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'];
const L7_SOURCE = ['requestPrincipals', 'notRequestPrincipals'];

const hasTargetRefs = (o: K8sObject): boolean =>
  get(o.body, ['spec', 'targetRefs']) !== undefined || get(o.body, ['spec', 'targetRef']) !== undefined;

function l7OnZtunnel(c: ClusterSet): Issue[] {
  const out: Issue[] = [];
  for (const ap of ofKind(c, 'AuthorizationPolicy', 'istio.io')) {
    if (hasTargetRefs(ap) || !isAmbientNamespace(c, ap.namespace)) continue;
    const flag = (path: (string | number)[], what: string) =>
      out.push({
        obj: ap,
        path,
        message: `${what} needs a waypoint; ztunnel enforces this policy and turns the rule into DENY`,
      });
    list(get(ap.body, ['spec', 'rules'])).forEach((rule, r) => {
      list(get(rule, ['to'])).forEach((to, t) => {
        for (const f of L7_OPERATION)
          if (get(to, ['operation', f]) !== undefined)
            flag(['spec', 'rules', r, 'to', t, 'operation', f], `L7 attribute operation.${f}`);
      });
      list(get(rule, ['from'])).forEach((from, f) => {
        for (const k of L7_SOURCE)
          if (get(from, ['source', k]) !== undefined)
            flag(['spec', 'rules', r, 'from', f, 'source', k], `L7 attribute source.${k}`);
      });
      list(get(rule, ['when'])).forEach((w, i) => {
        const key = get(w, ['key']);
        if (typeof key === 'string' && key.startsWith('request.'))
          flag(['spec', 'rules', r, 'when', i, 'key'], `condition on ${key}`);
      });
    });
  }
  return out;
}

/** `name.namespace` for a host that names an in-cluster Service, else the host itself. */
function hostKey(host: string, ns: string): string {
  const m = /^([a-z0-9-]+)(?:\.([a-z0-9-]+)(?:\.svc(?:\.cluster\.local)?)?)?$/.exec(host);
  return m ? `${m[1]}.${m[2] ?? ns}` : host;
}

function vsAndHttpRoute(c: ClusterSet): Issue[] {
  const routed = new Map<string, K8sObject>();
  for (const r of ofKind(c, 'HTTPRoute', 'gateway.networking.k8s.io')) {
    for (const p of list(get(r.body, ['spec', 'parentRefs']))) {
      if (get(p, ['kind']) === 'Service')
        routed.set(hostKey(String(get(p, ['name'])), String(get(p, ['namespace']) ?? r.namespace)), r);
    }
    for (const h of strs(get(r.body, ['spec', 'hostnames']))) routed.set(hostKey(h, r.namespace), r);
  }
  const out: Issue[] = [];
  for (const vs of ofKind(c, 'VirtualService', 'istio.io')) {
    strs(get(vs.body, ['spec', 'hosts'])).forEach((h, i) => {
      const route = routed.get(hostKey(h, vs.namespace));
      if (route) {
        out.push({
          obj: vs,
          path: ['spec', 'hosts', i],
          message: `host ${h} is also routed by HTTPRoute ${route.namespace}/${route.name}; mixing both is undefined behaviour`,
        });
      }
    });
  }
  return out;
}

const bothDataplanes = (c: ClusterSet): Issue[] =>
  namespaces(c)
    .filter(
      (ns) =>
        ns.labels['istio.io/dataplane-mode'] === 'ambient' &&
        (ns.labels['istio-injection'] === 'enabled' || ns.labels['istio.io/rev'] !== undefined),
    )
    .map((ns) => ({
      obj: ns,
      path: ['metadata', 'labels'],
      message: `namespace ${ns.name} has both sidecar injection and istio.io/dataplane-mode=ambient labels`,
    }));

const GATEWAY_LABELS = ['gateway.networking.k8s.io/gateway-name', 'istio.io/gateway-name'];
const SELECTOR_POLICIES = ['AuthorizationPolicy', 'RequestAuthentication', 'Telemetry', 'WasmPlugin'];

function selectorOnWaypoint(c: ClusterSet): Issue[] {
  const out: Issue[] = [];
  for (const kind of SELECTOR_POLICIES) {
    for (const p of ofKind(c, kind, 'istio.io')) {
      // targetRef(s) is the attachment Istio honours; a policy that has one is not selector-bound.
      if (hasTargetRefs(p)) continue;
      for (const label of GATEWAY_LABELS) {
        const gw = get(p.body, ['spec', 'selector', 'matchLabels', label]);
        if (gw !== undefined) {
          out.push({
            obj: p,
            path: ['spec', 'selector', 'matchLabels', label],
            message: `${kind} selects the pods of gateway/waypoint "${String(gw)}" by label; such policies are ignored there`,
          });
        }
      }
    }
  }
  return out;
}

export const istioChecks: Check[] = [
  {
    id: 'IST001',
    severity: 'error',
    title: 'L7 attribute on a ztunnel-enforced policy',
    description:
      'In an ambient namespace an AuthorizationPolicy without targetRefs is enforced by ztunnel, which only understands L4; any L7 attribute (methods, paths, hosts, requestPrincipals, request.* conditions) turns the rule into a DENY.',
    hint: 'Bind the policy to a waypoint with targetRefs (Gateway or Service using the waypoint), or keep it L4-only.',
    run: ({ cluster }) => l7OnZtunnel(cluster),
  },
  {
    id: 'IST002',
    severity: 'error',
    title: 'VirtualService and HTTPRoute for one host',
    description:
      'Routing the same host with a VirtualService and a Gateway API HTTPRoute is unsupported in ambient and has undefined behaviour.',
    hint: 'Pick one routing API per host (HTTPRoute for waypoints).',
    run: ({ cluster }) => vsAndHttpRoute(cluster),
  },
  {
    id: 'IST003',
    severity: 'error',
    title: 'Namespace labelled for sidecar injection and ambient',
    description:
      'A namespace with both istio-injection/istio.io/rev and istio.io/dataplane-mode=ambient mixes data planes (istioctl IST0123).',
    hint: 'Keep exactly one of the labels.',
    run: ({ cluster }) => bothDataplanes(cluster),
  },
  {
    id: 'IST004',
    severity: 'error',
    title: 'Selector-based policy on a waypoint',
    description:
      'Policies that pick Gateway-API-deployed gateways or waypoints by pod label are not applied there (istioctl IST0166); the protection silently disappears.',
    hint: 'Replace spec.selector with spec.targetRefs naming the Gateway.',
    run: ({ cluster }) => selectorOnWaypoint(cluster),
  },
];
