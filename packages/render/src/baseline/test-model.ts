// Test model of Kubernetes NetworkPolicy (networking.k8s.io/v1): may one pod open a TCP port on
// another? Used to check the rendered policies against what the spec allows.
import { type Labels, type Obj, type Pod, type Request, type Selector, selects } from '../test-pods.ts';

const NS_NAME = 'kubernetes.io/metadata.name';
type Peer = { namespaceSelector?: Selector; podSelector?: Selector; ipBlock?: unknown };
type Port = { port?: number; protocol?: string };

const nsLabels = (pod: Pod): Labels => ({ [NS_NAME]: pod.namespace });

/** Does one rule's peer list and port list admit `peer` on `port`? (`policyNs` scopes a bare podSelector.) */
function ruleAdmits(
  peers: Peer[] | undefined,
  ports: Port[] | undefined,
  policyNs: string,
  peer: Pod,
  port: number,
) {
  const peerOk =
    (peers ?? []).length === 0 ||
    (peers ?? []).some((p) => {
      if (p.ipBlock !== undefined) throw new Error('ipBlock is not modelled');
      const nsOk = p.namespaceSelector
        ? selects(p.namespaceSelector, nsLabels(peer))
        : peer.namespace === policyNs;
      return nsOk && selects(p.podSelector, peer.labels);
    });
  const portOk =
    (ports ?? []).length === 0 ||
    (ports ?? []).some((q) => (q.protocol ?? 'TCP') === 'TCP' && (q.port === undefined || q.port === port));
  return peerOk && portOk;
}

/** Policies of `direction` that select `pod`; none means the direction is open. */
const selecting = (all: Obj[], pod: Pod, direction: 'Ingress' | 'Egress') =>
  all.filter(
    (o) =>
      o.kind === 'NetworkPolicy' &&
      o.metadata?.namespace === pod.namespace &&
      (o.spec.policyTypes ?? ['Ingress']).includes(direction) &&
      selects(o.spec.podSelector, pod.labels),
  );

export const networkPolicyRestricts = (all: Obj[], pod: Pod, direction: 'Ingress' | 'Egress') =>
  selecting(all, pod, direction).length > 0;

export function networkPolicyEgress(all: Obj[], from: Pod, to: Pod, port: number): boolean {
  const policies = selecting(all, from, 'Egress');
  if (policies.length === 0) return true;
  return policies.some((p) =>
    (p.spec.egress ?? []).some((rule: { to?: Peer[]; ports?: Port[] }) =>
      ruleAdmits(rule.to, rule.ports, p.metadata?.namespace ?? '', to, port),
    ),
  );
}

export function networkPolicyIngress(all: Obj[], from: Pod, to: Pod, port: number): boolean {
  const policies = selecting(all, to, 'Ingress');
  if (policies.length === 0) return true;
  return policies.some((p) =>
    (p.spec.ingress ?? []).some((rule: { from?: Peer[]; ports?: Port[] }) =>
      ruleAdmits(rule.from, rule.ports, p.metadata?.namespace ?? '', from, port),
    ),
  );
}

/** L4 only: both ends' policies must let the connection through; method and path are invisible. */
export const networkPolicyAllows = (all: Obj[], r: Request): boolean =>
  networkPolicyEgress(all, r.from, r.to, r.port) && networkPolicyIngress(all, r.from, r.to, r.port);
