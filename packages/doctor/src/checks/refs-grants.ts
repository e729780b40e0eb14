// Cross-namespace references in the Gateway API need a ReferenceGrant in the target's namespace
// (gateway-api v1.5.1 ReferenceGrant: from group/kind/namespace, to group/kind and optional name):
// without one the route's backend or the listener's certificate is refused (ResolvedRefs false,
// RefNotPermitted).
import { get, isObj, list, ofKind } from '../k8s.ts';
import type { Check, ClusterSet, Issue, K8sObject, Path } from '../model.ts';
import { ofKindIn } from '../namespaced.ts';

const GATEWAY_GROUP = 'gateway.networking.k8s.io';
const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'];

interface CrossRef {
  from: K8sObject;
  toGroup: string;
  toKind: string;
  toNs: string;
  toName: string;
  path: Path;
}

function crossRefs(c: ClusterSet): CrossRef[] {
  const out: CrossRef[] = [];
  const add = (from: K8sObject, ref: unknown, defaultKind: string, path: Path) => {
    if (!isObj(ref) || typeof ref.name !== 'string' || typeof ref.namespace !== 'string') return;
    if (ref.namespace === from.namespace) return;
    const toGroup = typeof ref.group === 'string' ? ref.group : '';
    const toKind = typeof ref.kind === 'string' ? ref.kind : defaultKind;
    out.push({ from, toGroup, toKind, toNs: ref.namespace, toName: ref.name, path });
  };
  for (const route of ROUTE_KINDS.flatMap((k) => ofKind(c, k, GATEWAY_GROUP)))
    list(get(route.body, ['spec', 'rules'])).forEach((rule, r) => {
      list(get(rule, ['backendRefs'])).forEach((b, i) => {
        add(route, b, 'Service', ['spec', 'rules', r, 'backendRefs', i, 'namespace']);
      });
    });
  for (const gw of ofKind(c, 'Gateway', GATEWAY_GROUP))
    list(get(gw.body, ['spec', 'listeners'])).forEach((l, li) => {
      list(get(l, ['tls', 'certificateRefs'])).forEach((ref, ri) => {
        add(gw, ref, 'Secret', ['spec', 'listeners', li, 'tls', 'certificateRefs', ri, 'namespace']);
      });
    });
  return out;
}

function permitted(grants: K8sObject[], r: CrossRef): boolean {
  const fromGroup = r.from.apiVersion.split('/')[0];
  return grants.some(
    (g) =>
      list(get(g.body, ['spec', 'from'])).some(
        (f) =>
          (get(f, ['group']) ?? '') === fromGroup &&
          get(f, ['kind']) === r.from.kind &&
          get(f, ['namespace']) === r.from.namespace,
      ) &&
      list(get(g.body, ['spec', 'to'])).some(
        (t) =>
          (get(t, ['group']) ?? '') === r.toGroup &&
          get(t, ['kind']) === r.toKind &&
          [undefined, '', r.toName].includes(get(t, ['name']) as string | undefined),
      ),
  );
}

function ungranted(c: ClusterSet): Issue[] {
  return crossRefs(c)
    .filter((r) => !permitted(ofKindIn(c, 'ReferenceGrant', r.toNs, GATEWAY_GROUP), r))
    .map((r) => ({
      obj: r.from,
      path: r.path,
      message: `refers to ${r.toKind} ${r.toNs}/${r.toName} in another namespace, and no ReferenceGrant in ${r.toNs} lets ${r.from.kind}s from ${r.from.namespace} refer to it; the reference is refused`,
      absent: true,
    }));
}

export const grantReferenceChecks: Check[] = [
  {
    id: 'REF036',
    severity: 'error',
    title: 'Cross-namespace reference without ReferenceGrant',
    description:
      'A Gateway API route backendRef or a Gateway listener certificateRef names an object in another namespace, and no ReferenceGrant in that namespace permits it (from the referrer’s group, kind and namespace to the target’s group, kind and name), so the implementation refuses the reference.',
    hint: 'Add a ReferenceGrant in the target’s namespace with `from` the route/Gateway (group, kind, namespace) and `to` the Service/Secret (group, kind, optionally name).',
    run: ({ cluster }) => ungranted(cluster),
  },
];
