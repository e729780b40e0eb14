// TLS secrets a gateway serves: an Istio Gateway server's credentialName(s) (istio 1.30.3 CRD: the
// Secret sits in the namespace of the gateway workload, so every namespace the workload runs in needs
// it) and a Gateway API listener's certificateRefs (gateway-api v1.5.1: a Secret in the Gateway's
// namespace unless `namespace` says otherwise). A missing one leaves the listener without a
// certificate: TLS handshakes to it fail.
import { get, isObj, list, matchLabels, ofKind, podTemplates, releasesOf, strs } from '../k8s.ts';
import type { Check, ClusterSet, Issue, K8sObject } from '../model.ts';
import { secretExists } from '../secrets.ts';

/**
 * Namespaces an Istio Gateway's workload runs in: where the pods its selector matches run, and where
 * a `gateway` chart is installed. Empty when the tree shows neither: then where the Secret must be is
 * unknown and nothing is reported.
 */
function workloadNamespaces(c: ClusterSet, gw: K8sObject): Set<string> {
  const selector = get(gw.body, ['spec', 'selector']);
  const out = new Set<string>();
  if (isObj(selector) && Object.keys(selector).length > 0)
    for (const t of podTemplates(c)) if (matchLabels(selector, t.labels)) out.add(t.obj.namespace);
  for (const hr of releasesOf(c, 'gateway')) {
    const target = get(hr.body, ['spec', 'targetNamespace']);
    out.add(typeof target === 'string' ? target : hr.namespace);
  }
  return out;
}

function istioCredentials(c: ClusterSet, exists: (ns: string, name: string) => boolean): Issue[] {
  const out: Issue[] = [];
  for (const gw of ofKind(c, 'Gateway', 'istio.io')) {
    const namespaces = [...workloadNamespaces(c, gw)];
    if (namespaces.length === 0) continue;
    list(get(gw.body, ['spec', 'servers'])).forEach((server, s) => {
      const single = get(server, ['tls', 'credentialName']);
      const names: [string, (string | number)[]][] = [
        ...(typeof single === 'string'
          ? [[single, ['tls', 'credentialName']] as [string, (string | number)[]]]
          : []),
        ...strs(get(server, ['tls', 'credentialNames'])).map(
          (n, i) => [n, ['tls', 'credentialNames', i]] as [string, (string | number)[]],
        ),
      ];
      for (const [name, field] of names) {
        // Other credential sources (`sds://...`, `kubernetes-gateway://ns/name`) are not plain Secret names.
        if (name.includes('/')) continue;
        // Each gateway pod reads the Secret from its own namespace (istio.io IST0161): one copy in
        // another namespace the workload also runs in does not serve these pods.
        const lacking = namespaces.filter((ns) => !exists(ns, name));
        if (lacking.length === 0) continue;
        const having = namespaces.filter((ns) => !lacking.includes(ns));
        out.push({
          obj: gw,
          path: ['spec', 'servers', s, ...field],
          message: `credentialName ${name}: no Secret of that name in ${lacking.join(' or ')} (where the gateway workload runs${having.length > 0 ? `; its pods in ${having.join(', ')} have one` : ''}), nor one a Certificate, SealedSecret or ExternalSecret creates there; the server has no certificate`,
          absent: true,
        });
      }
    });
  }
  return out;
}

function gatewayApiCertificates(c: ClusterSet, exists: (ns: string, name: string) => boolean): Issue[] {
  const out: Issue[] = [];
  for (const gw of ofKind(c, 'Gateway', 'gateway.networking.k8s.io')) {
    list(get(gw.body, ['spec', 'listeners'])).forEach((l, li) => {
      list(get(l, ['tls', 'certificateRefs'])).forEach((ref, ri) => {
        if (!isObj(ref) || typeof ref.name !== 'string') return;
        if ((ref.group ?? '') !== '' || (ref.kind ?? 'Secret') !== 'Secret') return;
        const ns = typeof ref.namespace === 'string' ? ref.namespace : gw.namespace;
        if (exists(ns, ref.name)) return;
        out.push({
          obj: gw,
          path: ['spec', 'listeners', li, 'tls', 'certificateRefs', ri, 'name'],
          message: `listener "${String(get(l, ['name']))}" certificateRef names Secret ${ns}/${ref.name}, which is not in the tree nor made by a Certificate, SealedSecret or ExternalSecret in it; the listener has no certificate`,
          absent: true,
        });
      });
    });
  }
  return out;
}

export const tlsReferenceChecks: Check[] = [
  {
    id: 'REF035',
    severity: 'error',
    title: 'Gateway TLS secret missing',
    description:
      'An Istio Gateway server’s tls.credentialName(s) or a Gateway API listener’s tls.certificateRefs names a Secret that is neither committed nor created by a cert-manager Certificate, SealedSecret or ExternalSecret in the tree (for an Istio Gateway: in each namespace its gateway workload runs in) (istioctl IST0101 for the Gateway secret; ResolvedRefs false on the listener). Graded like every out-of-tree reference.',
    hint: 'Commit a Certificate (spec.secretName) or a sealed/external secret for it, in the gateway workload’s namespace for Istio, in the Gateway’s namespace for Gateway API.',
    run: ({ cluster }) => {
      const exists = secretExists(cluster);
      return [...istioCredentials(cluster, exists), ...gatewayApiCertificates(cluster, exists)];
    },
  },
];
