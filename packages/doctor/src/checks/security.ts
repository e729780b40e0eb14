// Zero-trust posture across the meshes: mTLS enforced, deny by default, no wildcard allows, no
// audit-only policy left committed.
import { get, isObj, list, ofKind, podTemplates, SYSTEM_NAMESPACES, strs } from '../k8s.ts';
import { istioMode, istioRootNamespace, namespaceObject, namespaces } from '../mesh.ts';
import type { Check, ClusterSet, Issue, K8sObject } from '../model.ts';
import { linkerdDeniesByDefault } from './linkerd-default.ts';
import { modeOf, scoped, weakPeerAuthentications } from './mtls.ts';

function strictMtls(c: ClusterSet): Issue[] {
  const out: Issue[] = [];
  const root = istioRootNamespace(c);
  const pas = ofKind(c, 'PeerAuthentication', 'istio.io');
  const meshWide = pas.find((p) => p.namespace === root && !scoped(p));
  for (const ns of namespaces(c)) {
    if (!istioMode(ns) || SYSTEM_NAMESPACES.has(ns.name)) continue;
    const own = pas.find((p) => p.namespace === ns.name && !scoped(p));
    const effective = own && modeOf(own) !== 'UNSET' ? own : meshWide;
    if (!effective || modeOf(effective) !== 'STRICT') {
      const why = effective
        ? `${modeOf(effective)} from PeerAuthentication ${effective.namespace}/${effective.name}`
        : 'no PeerAuthentication (PERMISSIVE)';
      out.push(
        own && own === effective
          ? {
              obj: own,
              path: ['spec', 'mtls', 'mode'],
              message: `meshed namespace ${ns.name} allows plaintext: ${why}`,
            }
          : {
              obj: ns,
              path: ['metadata', 'name'],
              message: `meshed namespace ${ns.name} does not enforce STRICT mTLS: ${why}`,
            },
      );
    }
    for (const p of pas) {
      if (p.namespace === ns.name && scoped(p) && ['PERMISSIVE', 'DISABLE'].includes(modeOf(p))) {
        out.push({
          obj: p,
          path: ['spec', 'mtls', 'mode'],
          message: `workload PeerAuthentication weakens mTLS to ${modeOf(p)} in ${ns.name}`,
        });
      }
    }
  }
  return out;
}

const emptyish = (v: unknown): boolean => v === undefined || (isObj(v) && Object.keys(v).length === 0);

/** Namespaces an Istio allow-nothing policy, a NetworkPolicy or a Cilium policy closes to all ingress. */
function deniedNamespaces(c: ClusterSet): { all: boolean; namespaces: Set<string> } {
  const root = istioRootNamespace(c);
  const out = new Set<string>();
  let all = false;
  for (const ap of ofKind(c, 'AuthorizationPolicy', 'istio.io')) {
    const spec = get(ap.body, ['spec']);
    const allowNothing =
      emptyish(spec) ||
      (isObj(spec) && Object.keys(spec).every((k) => k === 'action') && spec.action === 'ALLOW');
    if (allowNothing) {
      out.add(ap.namespace);
      // An allow-nothing policy in Istio's root namespace applies mesh-wide.
      if (ap.namespace === root) all = true;
    }
  }
  for (const np of ofKind(c, 'NetworkPolicy', 'networking.k8s.io')) {
    const types = strs(get(np.body, ['spec', 'policyTypes']));
    if (emptyish(get(np.body, ['spec', 'podSelector'])) && (types.length === 0 || types.includes('Ingress')))
      out.add(np.namespace);
  }
  for (const p of [
    ...ofKind(c, 'CiliumNetworkPolicy', 'cilium.io'),
    ...ofKind(c, 'CiliumClusterwideNetworkPolicy', 'cilium.io'),
  ]) {
    if (
      emptyish(get(p.body, ['spec', 'endpointSelector'])) &&
      (get(p.body, ['spec', 'ingress']) !== undefined || get(p.body, ['spec', 'ingressDeny']) !== undefined)
    ) {
      if (p.kind === 'CiliumClusterwideNetworkPolicy') all = true;
      else out.add(p.namespace);
    }
  }
  return { all, namespaces: out };
}

function defaultDeny(c: ClusterSet): Issue[] {
  const appNamespaces = new Map<string, K8sObject>();
  for (const t of podTemplates(c)) {
    if (!SYSTEM_NAMESPACES.has(t.obj.namespace) && !appNamespaces.has(t.obj.namespace))
      appNamespaces.set(t.obj.namespace, t.obj);
  }
  const denied = deniedNamespaces(c);
  return [...appNamespaces].flatMap(([ns, firstWorkload]) =>
    denied.all || denied.namespaces.has(ns) || linkerdDeniesByDefault(c, ns)
      ? []
      : [
          {
            obj: namespaceObject(c, ns) ?? firstWorkload,
            message: `application namespace ${ns} has no default-deny policy (Istio allow-nothing AuthorizationPolicy, NetworkPolicy/CiliumNetworkPolicy selecting all pods, or Linkerd default-inbound-policy deny / all-authenticated with a Server on every port)`,
          },
        ],
  );
}

const OPEN_CIDRS = new Set(['0.0.0.0/0', '::/0']);

function wildcards(c: ClusterSet): Issue[] {
  const out: Issue[] = [];
  for (const ap of ofKind(c, 'AuthorizationPolicy', 'istio.io')) {
    const action = get(ap.body, ['spec', 'action']) ?? 'ALLOW';
    if (action !== 'ALLOW') continue;
    list(get(ap.body, ['spec', 'rules'])).forEach((rule, r) => {
      list(get(rule, ['from'])).forEach((from, f) => {
        for (const field of ['principals', 'namespaces', 'ipBlocks', 'remoteIpBlocks']) {
          strs(get(from, ['source', field])).forEach((v, k) => {
            if (v === '*' || OPEN_CIDRS.has(v)) {
              out.push({
                obj: ap,
                path: ['spec', 'rules', r, 'from', f, 'source', field, k],
                message: `ALLOW rule matches any ${field.replace(/s$/, '')} ("${v}")`,
              });
            }
          });
        }
      });
    });
  }
  for (const m of ofKind(c, 'MeshTLSAuthentication', 'linkerd.io')) {
    strs(get(m.body, ['spec', 'identities'])).forEach((v, i) => {
      if (v === '*')
        out.push({
          obj: m,
          path: ['spec', 'identities', i],
          message: 'identities "*" authenticates every meshed client',
        });
    });
  }
  for (const n of ofKind(c, 'NetworkAuthentication', 'linkerd.io')) {
    list(get(n.body, ['spec', 'networks'])).forEach((net, i) => {
      const cidr = get(net, ['cidr']);
      if (typeof cidr === 'string' && OPEN_CIDRS.has(cidr))
        out.push({
          obj: n,
          path: ['spec', 'networks', i, 'cidr'],
          message: `network ${cidr} authenticates every client`,
        });
    });
  }
  for (const p of [
    ...ofKind(c, 'CiliumNetworkPolicy', 'cilium.io'),
    ...ofKind(c, 'CiliumClusterwideNetworkPolicy', 'cilium.io'),
  ]) {
    list(get(p.body, ['spec', 'ingress'])).forEach((rule, r) => {
      strs(get(rule, ['fromCIDR'])).forEach((v, k) => {
        if (OPEN_CIDRS.has(v))
          out.push({
            obj: p,
            path: ['spec', 'ingress', r, 'fromCIDR', k],
            message: `ingress allowed from ${v}`,
          });
      });
      list(get(rule, ['fromCIDRSet'])).forEach((s, k) => {
        const v = get(s, ['cidr']);
        if (typeof v === 'string' && OPEN_CIDRS.has(v))
          out.push({
            obj: p,
            path: ['spec', 'ingress', r, 'fromCIDRSet', k, 'cidr'],
            message: `ingress allowed from ${v}`,
          });
      });
      strs(get(rule, ['fromEntities'])).forEach((v, k) => {
        if (v === 'all' || v === 'world')
          out.push({
            obj: p,
            path: ['spec', 'ingress', r, 'fromEntities', k],
            message: `ingress allowed from entity "${v}"`,
          });
      });
    });
  }
  return out;
}

const AUDIT_ANNOTATION = 'config.linkerd.io/default-inbound-policy';

function linkerdAudit(c: ClusterSet): Issue[] {
  const out: Issue[] = [];
  for (const s of ofKind(c, 'Server', 'linkerd.io')) {
    if (get(s.body, ['spec', 'accessPolicy']) === 'audit')
      out.push({
        obj: s,
        path: ['spec', 'accessPolicy'],
        message: 'Server accessPolicy "audit" allows all traffic and only logs it',
      });
  }
  for (const o of c.objects) {
    if (o.annotations[AUDIT_ANNOTATION] === 'audit')
      out.push({
        obj: o,
        path: ['metadata', 'annotations', AUDIT_ANNOTATION],
        message: 'default inbound policy "audit" does not enforce anything',
      });
  }
  for (const t of podTemplates(c)) {
    if (
      get(t.obj.body, [...t.specPath.slice(0, -1), 'metadata', 'annotations', AUDIT_ANNOTATION]) === 'audit'
    ) {
      out.push({
        obj: t.obj,
        path: [...t.specPath.slice(0, -1), 'metadata', 'annotations', AUDIT_ANNOTATION],
        message: 'pod default inbound policy "audit" does not enforce anything',
      });
    }
  }
  for (const hr of ofKind(c, 'HelmRelease', 'fluxcd.io')) {
    if (get(hr.body, ['spec', 'values', 'proxy', 'defaultInboundPolicy']) === 'audit') {
      out.push({
        obj: hr,
        path: ['spec', 'values', 'proxy', 'defaultInboundPolicy'],
        message: 'Linkerd proxy.defaultInboundPolicy "audit" does not enforce anything',
      });
    }
  }
  return out;
}

export const securityChecks: Check[] = [
  {
    id: 'SEC001',
    severity: 'error',
    title: 'Istio namespace without STRICT mTLS',
    description:
      'A namespace in the Istio mesh (injection or ambient) must get mTLS mode STRICT from a namespace-wide PeerAuthentication or the mesh-wide one in the root namespace; the default is PERMISSIVE (plaintext accepted). A mesh-wide or namespace-wide PeerAuthentication with PERMISSIVE or DISABLE is reported by itself even when no namespace it governs is among the checked files.',
    hint: 'Add a PeerAuthentication with spec.mtls.mode: STRICT in istio-system (mesh-wide) or in the namespace.',
    run: ({ cluster }) => [...strictMtls(cluster), ...weakPeerAuthentications(cluster)],
  },
  {
    id: 'SEC002',
    opinion: true,
    severity: 'error',
    title: 'Application namespace without default deny',
    description:
      'Every namespace running workloads needs a deny-by-default baseline so that only explicitly allowed traffic reaches it.',
    hint: 'Add an Istio AuthorizationPolicy with `spec: {}`, a NetworkPolicy/CiliumNetworkPolicy selecting all pods, or the Linkerd annotation config.linkerd.io/default-inbound-policy: deny (or all-authenticated with a Server on every container port).',
    run: ({ cluster }) => defaultDeny(cluster),
  },
  {
    id: 'SEC003',
    severity: 'error',
    title: 'Wildcard principal, identity or CIDR',
    description:
      'An allow rule that matches any principal/namespace/identity or 0.0.0.0/0 (::/0) defeats identity-based authorization.',
    hint: 'Name the ServiceAccounts/identities/networks that need access.',
    run: ({ cluster }) => wildcards(cluster),
  },
  {
    id: 'SEC004',
    severity: 'error',
    title: 'Linkerd audit policy committed',
    description:
      'Linkerd `audit` (Server accessPolicy or default inbound policy) lets all traffic through and only records it; it must not ship.',
    hint: 'Use accessPolicy deny (the default) and authorize clients explicitly.',
    run: ({ cluster }) => linkerdAudit(cluster),
  },
];
