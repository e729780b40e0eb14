// Test model of CiliumNetworkPolicy (cilium.io/v2) for one request: identities from pod labels,
// namespace and ServiceAccount; L7 HTTP rules as whole-string regexes (docs.cilium.io, "Layer 7
// Examples": method and path are extended POSIX regexes matched against the whole value).
import { type Labels, type Obj, type Pod, type Request, type Selector, selects } from '../test-pods.ts';

type HttpRule = { method?: string; path?: string };
type PortRule = { ports: { port: string; protocol?: string }[]; rules?: { http?: HttpRule[] } };
type Rule = {
  fromEndpoints?: Selector[];
  fromEntities?: string[];
  toEndpoints?: Selector[];
  toEntities?: string[];
  toPorts?: PortRule[];
  authentication?: { mode: string };
};

const NAMESPACE = 'io.kubernetes.pod.namespace';
const SERVICE_ACCOUNT = 'io.cilium.k8s.policy.serviceaccount';

// An endpoint's labels: its pod's labels (selectors may prefix them with `k8s:`), namespace and ServiceAccount.
const endpointLabels = (pod: Pod): Labels => ({
  ...pod.labels,
  [NAMESPACE]: pod.namespace,
  ...(pod.serviceAccount ? { [SERVICE_ACCOUNT]: pod.serviceAccount } : {}),
});
const key = (k: string) => k.replace(/^k8s:/, '');

/** An endpoint selector without a namespace label selects only endpoints of the policy's namespace. */
function peerSelected(sel: Selector, policyNs: string, peer: Pod): boolean {
  const scoped = Object.keys(sel.matchLabels ?? {}).some((k) => key(k) === NAMESPACE);
  return (scoped || peer.namespace === policyNs) && selects(sel, endpointLabels(peer), key);
}

const whole = (regex: string, value: string) => new RegExp(`^(?:${regex})$`).test(value);

function portAdmits(toPorts: PortRule[] | undefined, r: Request): boolean {
  if (toPorts === undefined) return true;
  return toPorts.some(
    (tp) =>
      tp.ports.some((q) => q.port === String(r.port) && ['TCP', 'ANY', undefined].includes(q.protocol)) &&
      (tp.rules?.http === undefined ||
        tp.rules.http.some(
          (h) =>
            (h.method === undefined || whole(h.method, r.method)) &&
            (h.path === undefined || whole(h.path, r.path)),
        )),
  );
}

const selecting = (all: Obj[], pod: Pod) =>
  all.filter(
    (o) =>
      o.kind === 'CiliumNetworkPolicy' &&
      o.metadata?.namespace === pod.namespace &&
      selects(o.spec.endpointSelector, endpointLabels(pod), key),
  );

function refuseUnmodelled(policies: Obj[]) {
  for (const p of policies)
    for (const field of ['ingressDeny', 'egressDeny'])
      if (field in p.spec) throw new Error(`${p.metadata?.name}: ${field} is not modelled`);
}

/** Egress is enforced on `from` as soon as one selecting policy has an egress section. */
export function ciliumEgress(all: Obj[], from: Pod, to: Pod, port: number): boolean {
  const policies = selecting(all, from);
  refuseUnmodelled(policies);
  if (!policies.some((p) => 'egress' in p.spec)) return true;
  const probe: Request = { from, to, port, method: 'GET', path: '/' };
  return policies.some((p) =>
    (p.spec.egress ?? []).some((rule: Rule) => {
      const peerOk =
        (rule.toEntities ?? []).some((e) => e === 'all' || e === 'cluster') ||
        (rule.toEndpoints ?? []).some((sel) => peerSelected(sel, p.metadata?.namespace ?? '', to));
      return peerOk && portAdmits(rule.toPorts, probe);
    }),
  );
}

/**
 * The ingress rules of `to` that admit the request; an empty list means refused when any selecting
 * policy has an ingress section. `fromEntities` never matches a pod (host, ingress and world are not pods).
 */
export function ciliumIngressRules(all: Obj[], r: Request): Rule[] | 'open' {
  const policies = selecting(all, r.to);
  refuseUnmodelled(policies);
  if (!policies.some((p) => 'ingress' in p.spec)) return 'open';
  return policies.flatMap((p) =>
    (p.spec.ingress ?? []).filter(
      (rule: Rule) =>
        (rule.fromEndpoints ?? []).some((sel) => peerSelected(sel, p.metadata?.namespace ?? '', r.from)) &&
        portAdmits(rule.toPorts, r),
    ),
  );
}

export function ciliumIngress(all: Obj[], r: Request): boolean {
  const rules = ciliumIngressRules(all, r);
  return rules === 'open' || rules.length > 0;
}

export const ciliumAllows = (all: Obj[], r: Request): boolean =>
  ciliumEgress(all, r.from, r.to, r.port) && ciliumIngress(all, r);
