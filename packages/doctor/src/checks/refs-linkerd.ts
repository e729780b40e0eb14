// Linkerd policy references: routes attached to a Server, and an AuthorizationPolicy's target and
// required authentications (linkerd/linkerd2 charts/linkerd-crds/templates/policy/, version-2.20).
// Linkerd ignores an authorization whose references it cannot find, and a Server stays deny-all.
import { get, isObj, list, named, ofKind } from '../k8s.ts';
import type { Check, ClusterSet, Issue, K8sObject } from '../model.ts';
import { accountMissing } from './references.ts';
import { attachingRoutes, parentRefs } from './refs-gateway.ts';

const POLICY_GROUP = 'policy.linkerd.io';
const isLinkerd = (o: K8sObject): boolean => o.apiVersion.startsWith(`${POLICY_GROUP}/`);
const exists = (c: ClusterSet, kind: string, ns: string, name: string, pred: (o: K8sObject) => boolean) =>
  named(c, kind, ns, name).some(pred);

function missingServerParents(c: ClusterSet): Issue[] {
  return attachingRoutes(c).flatMap((route) =>
    parentRefs(route)
      .filter(
        (p) =>
          p.group === POLICY_GROUP &&
          p.kind === 'Server' &&
          !exists(c, 'Server', p.namespace, p.name, isLinkerd),
      )
      .map((p) => ({
        obj: route,
        path: [...p.path, 'name'],
        message: `parentRef names Server ${p.namespace}/${p.name}, which is not defined in this cluster; the route applies to no traffic`,
        absent: true,
      })),
  );
}

// What a targetRef may name, by group and kind; the target is always in the policy's namespace.
function targetExists(
  c: ClusterSet,
  group: string,
  kind: string,
  ns: string,
  name: string,
): boolean | undefined {
  if (kind === 'Namespace' && group === '') return exists(c, 'Namespace', '', name, () => true);
  if (kind === 'Server' && group === POLICY_GROUP) return exists(c, 'Server', ns, name, isLinkerd);
  if (kind === 'HTTPRoute' && group === POLICY_GROUP) return exists(c, 'HTTPRoute', ns, name, isLinkerd);
  if ((kind === 'HTTPRoute' || kind === 'GRPCRoute') && group === 'gateway.networking.k8s.io')
    return exists(c, kind, ns, name, (o) => o.apiVersion.startsWith(`${group}/`));
  return undefined;
}

function missingTargets(c: ClusterSet): Issue[] {
  return ofKind(c, 'AuthorizationPolicy', 'linkerd.io').flatMap((ap) => {
    const t = get(ap.body, ['spec', 'targetRef']);
    if (!isObj(t) || typeof t.kind !== 'string' || typeof t.name !== 'string') return [];
    const group = typeof t.group === 'string' ? t.group : '';
    if (targetExists(c, group, t.kind, ap.namespace, t.name) !== false) return [];
    const where = t.kind === 'Namespace' ? t.name : `${ap.namespace}/${t.name}`;
    return [
      {
        obj: ap,
        path: ['spec', 'targetRef', 'name'],
        message: `targetRef names ${t.kind} ${where}, which is not defined in this cluster; the policy authorizes nothing`,
        absent: true,
      },
    ];
  });
}

function missingAuthentications(c: ClusterSet): Issue[] {
  const accountAbsent = accountMissing(c);
  return ofKind(c, 'AuthorizationPolicy', 'linkerd.io').flatMap((ap) =>
    list(get(ap.body, ['spec', 'requiredAuthenticationRefs'])).flatMap((r, i) => {
      if (!isObj(r) || typeof r.kind !== 'string' || typeof r.name !== 'string') return [];
      const ns = typeof r.namespace === 'string' ? r.namespace : ap.namespace;
      const group = typeof r.group === 'string' ? r.group : '';
      let missing: boolean;
      if (r.kind === 'ServiceAccount' && group === '') missing = accountAbsent(ns, r.name);
      else if (['MeshTLSAuthentication', 'NetworkAuthentication'].includes(r.kind) && group === POLICY_GROUP)
        missing = !exists(c, r.kind, ns, r.name, isLinkerd);
      else return [];
      if (!missing) return [];
      return [
        {
          obj: ap,
          path: ['spec', 'requiredAuthenticationRefs', i, 'name'],
          message: `requiredAuthenticationRefs names ${r.kind} ${ns}/${r.name}, which is not defined in this cluster; Linkerd ignores the whole policy, so the traffic it should allow is denied`,
          absent: true,
        },
      ];
    }),
  );
}

export const linkerdReferenceChecks: Check[] = [
  {
    id: 'REF027',
    severity: 'error',
    title: 'Linkerd route parent Server missing',
    description:
      'An HTTPRoute (policy.linkerd.io or gateway.networking.k8s.io) has a parentRef to a Linkerd Server (group policy.linkerd.io, kind Server) that does not exist, so the route and the policies targeting it apply to no traffic.',
    hint: 'Fix the parentRef name/namespace, or define the Server for the workload port.',
    run: ({ cluster }) => missingServerParents(cluster),
  },
  {
    id: 'REF028',
    severity: 'error',
    title: 'Linkerd AuthorizationPolicy target missing',
    description:
      'A Linkerd AuthorizationPolicy targetRef names a Server, HTTPRoute, GRPCRoute or Namespace that does not exist, so the policy authorizes nothing and the Server stays deny-all.',
    hint: 'Point spec.targetRef at an existing Server or route in the policy’s namespace (with its group), or at the Namespace.',
    run: ({ cluster }) => missingTargets(cluster),
  },
  {
    id: 'REF029',
    severity: 'error',
    title: 'Linkerd required authentication missing',
    description:
      'A Linkerd AuthorizationPolicy requiredAuthenticationRefs entry names a MeshTLSAuthentication, NetworkAuthentication or ServiceAccount that does not exist; Linkerd then ignores the whole authorization (as the AuthorizationPolicy CRD’s field description states), so the traffic it should allow is denied.',
    hint: 'Define the MeshTLSAuthentication/NetworkAuthentication (group policy.linkerd.io) or ServiceAccount, or fix kind/name/namespace.',
    run: ({ cluster }) => missingAuthentications(cluster),
  },
];
