// Istio settings that weaken what STRICT mTLS promises: a mesh- or namespace-wide PeerAuthentication
// that accepts plaintext, client TLS settings that contradict STRICT, and egress left wide open.
import { get, helmValues, list, ofKind, strs } from '../k8s.ts';
import { istioMode, istioRootNamespace, namespaces } from '../mesh.ts';
import type { Check, ClusterSet, Issue, K8sObject, Path } from '../model.ts';

const WEAK_MODES = new Set(['PERMISSIVE', 'DISABLE']);

// A PeerAuthentication applies to some workloads only through spec.selector: the pinned Istio CRD
// (manifests/charts/base/files/crd-all.gen.yaml, PeerAuthentication v1) has no targetRefs.
export const scoped = (pa: K8sObject): boolean => get(pa.body, ['spec', 'selector']) !== undefined;

export const modeOf = (pa: K8sObject): string => String(get(pa.body, ['spec', 'mtls', 'mode']) ?? 'UNSET');

/** The namespace-wide PeerAuthentication of `ns` that sets a mode, if any. */
const ownPolicy = (c: ClusterSet, ns: string): K8sObject | undefined =>
  ofKind(c, 'PeerAuthentication', 'istio.io').find(
    (p) => p.namespace === ns && !scoped(p) && modeOf(p) !== 'UNSET',
  );

/** The mesh-wide PeerAuthentication (in the root namespace, without a selector), if any. */
const meshPolicy = (c: ClusterSet): K8sObject | undefined => ownPolicy(c, istioRootNamespace(c));

/**
 * SEC001's second half: a mesh-wide or namespace-wide PeerAuthentication that accepts plaintext is a
 * finding by itself, even when none of the namespaces it governs is among the checked files. Where it
 * governs a meshed namespace of the files, SEC001 already reports it there (on the namespace or on the
 * policy), so it is not reported twice.
 */
export function weakPeerAuthentications(c: ClusterSet): Issue[] {
  const root = istioRootNamespace(c);
  const meshed = namespaces(c).filter((o) => istioMode(o) !== undefined);
  return ofKind(c, 'PeerAuthentication', 'istio.io').flatMap((pa) => {
    if (scoped(pa) || !WEAK_MODES.has(modeOf(pa))) return [];
    const meshWide = pa.namespace === root;
    const governs = meshed.some((ns) =>
      meshWide ? ownPolicy(c, ns.name) === undefined : ns.name === pa.namespace,
    );
    if (governs) return [];
    const scope = meshWide ? 'mesh-wide (root namespace)' : `namespace-wide in ${pa.namespace}`;
    return [
      {
        obj: pa,
        path: ['spec', 'mtls', 'mode'],
        message: `PeerAuthentication ${pa.namespace}/${pa.name} is ${scope} with mtls.mode ${modeOf(pa)}: workloads it covers accept plaintext from any caller`,
      },
    ];
  });
}

/** Whether peers in `ns` (ANY for the whole mesh) must present mesh certificates. */
function strictIn(c: ClusterSet, ns: string | undefined): K8sObject | undefined {
  const own = ns === undefined ? undefined : ownPolicy(c, ns);
  const effective = own ?? meshPolicy(c);
  return effective && modeOf(effective) === 'STRICT' ? effective : undefined;
}

// Hosts a DestinationRule may name inside the mesh: `svc`, `svc.ns`, `svc.ns.svc[.cluster.local]`,
// `*.ns.svc.cluster.local`; `*.local`, `*.cluster.local`, `*.svc.cluster.local` and `*` cover every
// namespace. Anything else is outside the mesh, where SIMPLE (TLS origination) is the right setting.
function hostNamespace(host: string, drNamespace: string): string | undefined | null {
  if (['*', '*.local', '*.cluster.local', '*.svc.cluster.local'].includes(host)) return undefined;
  const wild = /^\*\.([a-z0-9-]+)\.svc\.cluster\.local$/.exec(host);
  if (wild) return wild[1];
  const m = /^([a-z0-9-]+)(?:\.([a-z0-9-]+)(?:\.svc(?:\.cluster\.local)?)?)?$/.exec(host);
  if (!m) return null;
  return m[2] ?? drNamespace;
}

const CONTRADICTING = new Set(['DISABLE', 'SIMPLE']);

/** Where a DestinationRule may set tls: top level, port level, and the same inside each subset. */
function tlsPaths(dr: K8sObject): Path[] {
  const policy = (base: Path): Path[] => [
    [...base, 'tls'],
    ...list(get(dr.body, [...base, 'portLevelSettings'])).map(
      (_, i): Path => [...base, 'portLevelSettings', i, 'tls'],
    ),
  ];
  const subsets = list(get(dr.body, ['spec', 'subsets'])).map((_, i) =>
    policy(['spec', 'subsets', i, 'trafficPolicy']),
  );
  return [policy(['spec', 'trafficPolicy']), ...subsets].flat();
}

// Istio's client-side TLS modes (istio.io reference, DestinationRule ClientTLSSettings): inside the mesh
// ISTIO_MUTUAL presents the workload certificate; DISABLE sends plaintext and SIMPLE a TLS handshake
// without one, and a STRICT server refuses both.
function destinationRuleTls(c: ClusterSet): Issue[] {
  const out: Issue[] = [];
  for (const dr of ofKind(c, 'DestinationRule', 'istio.io')) {
    const host = get(dr.body, ['spec', 'host']);
    if (typeof host !== 'string') continue;
    const ns = hostNamespace(host, dr.namespace);
    if (ns === null) continue;
    const strict = strictIn(c, ns);
    if (!strict) continue;
    for (const path of tlsPaths(dr)) {
      const mode = get(dr.body, [...path, 'mode']);
      if (typeof mode !== 'string' || !CONTRADICTING.has(mode)) continue;
      out.push({
        obj: dr,
        path: [...path, 'mode'],
        message: `DestinationRule ${dr.namespace}/${dr.name} sends ${mode === 'DISABLE' ? 'plaintext' : 'TLS without the mesh certificate'} (tls.mode ${mode}) to ${host}, which PeerAuthentication ${strict.namespace}/${strict.name} makes STRICT: the server refuses it`,
      });
    }
  }
  return out;
}

const OPEN_HOSTS = new Set(['*/*']);

/** The mesh's outbound traffic policy from istiod's values (meshConfig.outboundTrafficPolicy.mode). */
const meshOutbound = (c: ClusterSet): string =>
  String(get(helmValues(c, 'istiod'), ['meshConfig', 'outboundTrafficPolicy', 'mode']) ?? 'ALLOW_ANY');

// Sidecar egress `*/*` imports every service of every namespace, and ALLOW_ANY (Istio's default)
// passes traffic to hosts outside the registry straight through: together the Sidecar closes nothing.
// A Sidecar that sets ALLOW_ANY in a REGISTRY_ONLY mesh reopens what the mesh closed.
function openEgress(c: ClusterSet): Issue[] {
  const mesh = meshOutbound(c);
  const out: Issue[] = [];
  for (const sc of ofKind(c, 'Sidecar', 'istio.io')) {
    const own = get(sc.body, ['spec', 'outboundTrafficPolicy', 'mode']);
    const mode = typeof own === 'string' ? own : mesh;
    const from = typeof own === 'string' ? 'its outboundTrafficPolicy' : 'the mesh default';
    list(get(sc.body, ['spec', 'egress'])).forEach((e, i) => {
      strs(get(e, ['hosts'])).forEach((h, k) => {
        if (OPEN_HOSTS.has(h) && mode === 'ALLOW_ANY')
          out.push({
            obj: sc,
            path: ['spec', 'egress', i, 'hosts', k],
            message: `Sidecar ${sc.namespace}/${sc.name} imports every host ("${h}") and passes unknown destinations through (ALLOW_ANY from ${from}): egress is open`,
          });
      });
    });
    if (own === 'ALLOW_ANY' && mesh === 'REGISTRY_ONLY')
      out.push({
        obj: sc,
        path: ['spec', 'outboundTrafficPolicy', 'mode'],
        message: `Sidecar ${sc.namespace}/${sc.name} sets ALLOW_ANY in a mesh whose meshConfig.outboundTrafficPolicy is REGISTRY_ONLY: its workloads reach any external host`,
      });
  }
  return out;
}

export const mtlsChecks: Check[] = [
  {
    id: 'TLS001',
    severity: 'error',
    title: 'DestinationRule TLS contradicts STRICT mTLS',
    description:
      'A DestinationRule for an in-mesh host whose tls.mode (top level, port level or in a subset) is DISABLE or SIMPLE while a PeerAuthentication makes the destination STRICT: the client sends plaintext or TLS without the mesh certificate and the server refuses it. Inside the mesh the mode is ISTIO_MUTUAL (or unset).',
    hint: 'Use tls.mode ISTIO_MUTUAL (or drop the tls block) for hosts inside the mesh; keep SIMPLE for external hosts.',
    run: ({ cluster }) => destinationRuleTls(cluster),
  },
  {
    id: 'EGR001',
    severity: 'warning',
    title: 'Sidecar egress open to everything',
    description:
      'A Sidecar whose egress hosts include "*/*" while outbound traffic is ALLOW_ANY (its own outboundTrafficPolicy or the mesh default) restricts nothing, and a Sidecar setting ALLOW_ANY in a REGISTRY_ONLY mesh reopens egress to any external host.',
    hint: 'List the namespaces/hosts the workloads call (e.g. "./*", "istio-system/*") and use outboundTrafficPolicy REGISTRY_ONLY with ServiceEntries for external hosts.',
    run: ({ cluster }) => openEgress(cluster),
  },
];
