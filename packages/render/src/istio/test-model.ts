// Test model of Istio AuthorizationPolicy (security.istio.io/v1) for one request, as istio.io's
// "Authorization Policy" reference states it: DENY policies first, then, if any ALLOW policy applies
// to the workload, the request must match one of its rules (a policy without rules matches nothing).
// Sidecars and ztunnel apply policies that select the pod (selector, or none: the whole namespace);
// a waypoint applies the ones whose targetRefs name it or the Service the request is addressed to.
import type { Obj, Pod, Request } from '../test-pods.ts';
import { selects } from '../test-pods.ts';
import { ISTIO_NAMESPACE } from './control-plane.ts';

type Source = { principals?: string[]; notPrincipals?: string[] };
type Operation = { ports?: string[]; methods?: string[]; paths?: string[] };
type Rule = { from?: { source: Source }[]; to?: { operation: Operation }[] };
type TargetRef = { group?: string; kind: string; name: string };

export const principalOf = (pod: Pod) => `cluster.local/ns/${pod.namespace}/sa/${pod.serviceAccount}`;

// Istio's string match: exact, `prefix*`, `*suffix` or `*`.
const matchString = (pattern: string, value: string) =>
  pattern === '*' ||
  (pattern.endsWith('*') && value.startsWith(pattern.slice(0, -1))) ||
  (pattern.startsWith('*') && value.endsWith(pattern.slice(1))) ||
  pattern === value;
// An empty list is an unset field (proto3 repeated fields): it matches anything, like no list.
const anyOf = (patterns: string[] | undefined, value: string) =>
  patterns === undefined || patterns.length === 0 || patterns.some((p) => matchString(p, value));

/** `l7`: whether the enforcing proxy sees HTTP; ztunnel does not (rules here must then carry none). */
function ruleMatches(rule: Rule, principal: string, r: Request, l7: boolean): boolean {
  for (const { source } of rule.from ?? []) {
    const unknown = Object.keys(source).filter((k) => !['principals', 'notPrincipals'].includes(k));
    if (unknown.length > 0) throw new Error(`source fields ${unknown} are not modelled`);
  }
  const fromOk =
    rule.from === undefined ||
    rule.from.some(
      ({ source }) =>
        anyOf(source.principals, principal) &&
        !(source.notPrincipals ?? []).some((p) => matchString(p, principal)),
    );
  const toOk =
    rule.to === undefined ||
    rule.to.some(({ operation }) => {
      const unknown = Object.keys(operation).filter((k) => !['ports', 'methods', 'paths'].includes(k));
      if (unknown.length > 0) throw new Error(`operation fields ${unknown} are not modelled`);
      if (!l7 && (operation.methods || operation.paths))
        throw new Error('an L7 attribute on an L4-enforced rule');
      return (
        anyOf(operation.ports, String(r.port)) &&
        anyOf(operation.methods, r.method) &&
        anyOf(operation.paths, r.path)
      );
    });
  return fromOk && toOk;
}

function decide(policies: Obj[], principal: string, r: Request, l7: boolean): boolean {
  const action = (p: Obj) => p.spec.action ?? 'ALLOW';
  const matches = (p: Obj) => (p.spec.rules ?? []).some((rule: Rule) => ruleMatches(rule, principal, r, l7));
  for (const p of policies)
    if (!['ALLOW', 'DENY'].includes(action(p))) throw new Error(`${action(p)} is not modelled`);
  if (policies.some((p) => action(p) === 'DENY' && matches(p))) return false;
  const allows = policies.filter((p) => action(p) === 'ALLOW');
  return allows.length === 0 || allows.some(matches);
}

const authorizationPolicies = (all: Obj[]) => all.filter((o) => o.kind === 'AuthorizationPolicy');

/** Policies a sidecar or ztunnel applies to `pod`: the root namespace's and its namespace's, by selector. */
function workloadPolicies(all: Obj[], pod: Pod): Obj[] {
  return authorizationPolicies(all).filter(
    (p) =>
      p.spec.targetRefs === undefined &&
      p.spec.targetRef === undefined &&
      (p.metadata?.namespace === ISTIO_NAMESPACE || p.metadata?.namespace === pod.namespace) &&
      selects(p.spec.selector, pod.labels),
  );
}

/** Sidecar: the callee's Envoy sees the caller's principal and the HTTP request. */
export const sidecarAllows = (all: Obj[], r: Request): boolean =>
  decide(workloadPolicies(all, r.to), principalOf(r.from), r, true);

/** Ambient without a waypoint, or a request sent straight to a pod: ztunnel, L4 only. */
export const ztunnelAllows = (all: Obj[], r: Request, principal = principalOf(r.from)): boolean =>
  decide(workloadPolicies(all, r.to), principal, r, false);

/**
 * Ambient with a namespace waypoint, the request addressed to `service`: the waypoint applies the
 * policies attached to it and to that Service, with the caller's principal and HTTP; then ztunnel on
 * the callee's node sees the waypoint's principal.
 */
export function waypointAllows(all: Obj[], r: Request, service: string, waypoint: string): boolean {
  const targets = (p: Obj): TargetRef[] => p.spec.targetRefs ?? (p.spec.targetRef ? [p.spec.targetRef] : []);
  const attached = authorizationPolicies(all).filter(
    (p) =>
      p.metadata?.namespace === r.to.namespace &&
      targets(p).some(
        (t) =>
          (t.kind === 'Gateway' && t.group === 'gateway.networking.k8s.io' && t.name === waypoint) ||
          (t.kind === 'Service' && (t.group ?? '') === '' && t.name === service),
      ),
  );
  if (!decide(attached, principalOf(r.from), r, true)) return false;
  return ztunnelAllows(all, r, `cluster.local/ns/${r.to.namespace}/sa/${waypoint}`);
}
