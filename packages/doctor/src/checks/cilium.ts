// Cilium policy semantics: mutual auth needs SPIRE (and encryption to mean anything), an L4 allow
// on a port voids L7 rules there, and turning on egress policy without DNS breaks name resolution.
import { get, helmValues, isObj, list, ofKind, releasesOf, strs } from '../k8s.ts';
import type { Check, ClusterSet, Issue, K8sObject, Path } from '../model.ts';

const policies = (c: ClusterSet): K8sObject[] => [
  ...ofKind(c, 'CiliumNetworkPolicy', 'cilium.io'),
  ...ofKind(c, 'CiliumClusterwideNetworkPolicy', 'cilium.io'),
];

/** Every rule of a policy (spec and specs[]) with its path and direction. */
function rules(
  p: K8sObject,
): { rule: unknown; path: Path; direction: 'ingress' | 'egress'; selector: unknown }[] {
  const specs: { spec: unknown; path: Path }[] = [
    { spec: get(p.body, ['spec']), path: ['spec'] },
    ...list(get(p.body, ['specs'])).map((spec, i) => ({ spec, path: ['specs', i] })),
  ];
  return specs.flatMap(({ spec, path }) =>
    (['ingress', 'egress'] as const).flatMap((direction) =>
      list(get(spec, [direction])).map((rule, i) => ({
        rule,
        path: [...path, direction, i],
        direction,
        selector: get(spec, ['endpointSelector']),
      })),
    ),
  );
}

const authRequired = (c: ClusterSet) =>
  policies(c).flatMap((p) =>
    rules(p)
      .filter((r) => get(r.rule, ['authentication', 'mode']) === 'required')
      .map((r) => ({ p, ...r })),
  );

const spireEnabled = (c: ClusterSet): boolean =>
  get(helmValues(c, 'cilium'), ['authentication', 'mutual', 'spire', 'enabled']) === true;

function withoutSpire(c: ClusterSet): Issue[] {
  if (spireEnabled(c)) return [];
  return authRequired(c).map((r) => ({
    obj: r.p,
    path: [...r.path, 'authentication', 'mode'],
    message:
      'authentication.mode: required but the Cilium HelmRelease does not enable authentication.mutual.spire: every matching connection is dropped',
  }));
}

function withoutEncryption(c: ClusterSet): Issue[] {
  const values = helmValues(c, 'cilium');
  const used = authRequired(c);
  if ((!spireEnabled(c) && used.length === 0) || get(values, ['encryption', 'enabled']) === true) return [];
  const release = releasesOf(c, 'cilium')[0];
  const message =
    'Cilium mutual authentication is on but encryption.enabled is not: peers are authenticated, traffic is plaintext';
  if (release) {
    const inline = get(release.body, ['spec', 'values', 'authentication']) !== undefined;
    return [
      { obj: release, path: inline ? ['spec', 'values', 'authentication'] : ['spec', 'valuesFrom'], message },
    ];
  }
  const first = used[0];
  return first ? [{ obj: first.p, path: [...first.path, 'authentication'], message }] : [];
}

const portKey = (p: unknown): string =>
  `${String(get(p, ['port']))}/${String(get(p, ['protocol']) ?? 'ANY')}`;

function l4ShadowsL7(c: ClusterSet): Issue[] {
  const groups = new Map<string, { obj: K8sObject; path: Path; port: string; l7: boolean }[]>();
  for (const p of policies(c)) {
    for (const r of rules(p)) {
      const group = `${p.kind}|${p.namespace}|${r.direction}|${JSON.stringify(r.selector ?? {})}`;
      list(get(r.rule, ['toPorts'])).forEach((tp, i) => {
        const l7 = isObj(get(tp, ['rules'])) && Object.keys(get(tp, ['rules']) as object).length > 0;
        for (const port of list(get(tp, ['ports']))) {
          const entries = groups.get(group) ?? [];
          entries.push({ obj: p, path: [...r.path, 'toPorts', i], port: portKey(port), l7 });
          groups.set(group, entries);
        }
      });
    }
  }
  const out: Issue[] = [];
  for (const entries of groups.values()) {
    for (const e of entries) {
      if (!e.l7 && entries.some((o) => o.l7 && o.port === e.port)) {
        out.push({
          obj: e.obj,
          path: e.path,
          message: `plain L4 allow on port ${e.port} makes the L7 rules for the same endpoints and port ineffective`,
        });
      }
    }
  }
  return out;
}

const allowsDns = (rule: unknown): boolean =>
  list(get(rule, ['toPorts'])).some((tp) =>
    list(get(tp, ['ports'])).some((p) => String(get(p, ['port'])) === '53'),
  );

function egressWithoutDns(c: ClusterSet): Issue[] {
  const out: Issue[] = [];
  const all = policies(c);
  for (const p of all) {
    const egress = rules(p).filter((r) => r.direction === 'egress');
    const denyOnly = get(p.body, ['spec', 'egressDeny']) !== undefined;
    if (egress.length === 0 && !denyOnly) continue;
    const sameScope = all.filter(
      (o) => o.kind === 'CiliumClusterwideNetworkPolicy' || o.namespace === p.namespace,
    );
    if (!sameScope.some((o) => rules(o).some((r) => r.direction === 'egress' && allowsDns(r.rule)))) {
      out.push({
        obj: p,
        path: ['spec', egress.length > 0 ? 'egress' : 'egressDeny'],
        message: 'egress policy enables default-deny egress but nothing allows DNS (port 53) to kube-dns',
      });
    }
  }
  for (const np of ofKind(c, 'NetworkPolicy', 'networking.k8s.io')) {
    if (!strs(get(np.body, ['spec', 'policyTypes'])).includes('Egress')) continue;
    const nsPolicies = ofKind(c, 'NetworkPolicy', 'networking.k8s.io').filter(
      (o) => o.namespace === np.namespace,
    );
    const dns = nsPolicies.some((o) =>
      list(get(o.body, ['spec', 'egress'])).some((r) =>
        list(get(r, ['ports'])).some((p) => String(get(p, ['port'])) === '53'),
      ),
    );
    if (!dns)
      out.push({
        obj: np,
        path: ['spec', 'policyTypes'],
        message: 'Egress isolation without a rule allowing DNS (port 53)',
      });
  }
  return out;
}

export const ciliumChecks: Check[] = [
  {
    id: 'CIL001',
    severity: 'error',
    title: 'Mutual authentication required without SPIRE',
    description:
      'A Cilium policy rule with authentication.mode: required drops traffic unless the Cilium Helm values enable authentication.mutual.spire.',
    hint: 'Set authentication.mutual.spire.enabled (and .install.enabled) in the Cilium HelmRelease values, or drop the authentication block.',
    run: ({ cluster }) => withoutSpire(cluster),
  },
  {
    id: 'CIL002',
    severity: 'warning',
    title: 'Mutual authentication without encryption',
    description:
      "Cilium's mutual authentication only authenticates the peers; without WireGuard/IPsec (encryption.enabled) the data is still plaintext.",
    hint: 'Set encryption.enabled: true and encryption.type: wireguard in the Cilium HelmRelease values.',
    run: ({ cluster }) => withoutEncryption(cluster),
  },
  {
    id: 'CIL003',
    severity: 'warning',
    title: 'L4 allow shadows L7 rules',
    description:
      'When the same endpoints and port have both a plain L4 allow and L7 (http/dns) rules, the L7 rules have no effect.',
    hint: 'Remove the plain L4 allow for that port or move its peers into the L7 rule.',
    run: ({ cluster }) => l4ShadowsL7(cluster),
  },
  {
    id: 'CIL004',
    severity: 'error',
    title: 'Default-deny egress without DNS',
    description:
      'A policy with egress rules switches the selected endpoints to default-deny egress; without an allow to kube-dns on port 53 name resolution fails.',
    hint: 'Add an egress rule to k8s-app: kube-dns in kube-system on port 53 (UDP and TCP).',
    run: ({ cluster }) => egressWithoutDns(cluster),
  },
];
