// TLS origination that does not verify the server: a DestinationRule with tls.mode SIMPLE or MUTUAL and
// no CA accepts any certificate the upstream presents (istio/istio pkg/config/analysis/analyzers/
// destinationrule/ca-certificates.go: IST0128 at the top level, IST0129 per port). ISTIO_MUTUAL is the
// mesh's own mTLS and verifies by itself.
import { get, list, ofKind } from '../k8s.ts';
import type { Check, ClusterSet, Issue, K8sObject, Path } from '../model.ts';

function unverified(dr: K8sObject, policy: Path, where: string): Issue | undefined {
  const tls = get(dr.body, [...policy, 'tls']);
  const mode = get(tls, ['mode']);
  if (mode !== 'SIMPLE' && mode !== 'MUTUAL') return undefined;
  // A credentialName brings the CA from its Secret; insecureSkipVerify states the choice explicitly.
  if (
    get(tls, ['caCertificates']) ||
    get(tls, ['credentialName']) ||
    get(tls, ['insecureSkipVerify']) === true
  )
    return undefined;
  return {
    obj: dr,
    path: [...policy, 'tls', 'mode'],
    message: `DestinationRule ${dr.namespace}/${dr.name} originates ${String(mode)} TLS to ${String(get(dr.body, ['spec', 'host']))}${where} without caCertificates: the server's certificate is not verified`,
  };
}

function originations(c: ClusterSet): Issue[] {
  return ofKind(c, 'DestinationRule', 'istio.io').flatMap((dr) => {
    const policies: [Path, string][] = [
      [['spec', 'trafficPolicy'], ''],
      ...list(get(dr.body, ['spec', 'subsets'])).map((s, i): [Path, string] => [
        ['spec', 'subsets', i, 'trafficPolicy'],
        ` (subset ${String(get(s, ['name']))})`,
      ]),
    ];
    return policies.flatMap(([policy, where]) =>
      [
        unverified(dr, policy, where),
        ...list(get(dr.body, [...policy, 'portLevelSettings'])).map((p, i) =>
          unverified(
            dr,
            [...policy, 'portLevelSettings', i],
            `${where} port ${String(get(p, ['port', 'number']))}`,
          ),
        ),
      ].filter((x): x is Issue => x !== undefined),
    );
  });
}

export const istioTlsOriginationChecks: Check[] = [
  {
    id: 'IST128',
    severity: 'warning',
    title: 'TLS origination without server verification',
    description:
      'A DestinationRule (top level, per port or per subset) with tls.mode SIMPLE or MUTUAL and neither caCertificates nor credentialName does not verify the certificate the server presents, so a man in the middle goes unnoticed (istioctl IST0128/IST0129).',
    hint: 'Set tls.caCertificates (or credentialName with the CA), plus sni/subjectAltNames; set insecureSkipVerify: true only to state a deliberate choice.',
    run: ({ cluster }) => originations(cluster),
  },
];
