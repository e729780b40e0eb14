import type { L7DenySignature, ZeroTrustFacts } from '../mesh.ts';
import { APP_LABEL } from '../workload/names.ts';
import { egressTo, policy } from './policies.ts';

/**
 * Cilium's Envoy filter answers a request its HTTP rules refuse with 403 and the body
 * `Access denied` followed by CRLF (cilium/proxy cilium/l7policy.cc, denied_403_body).
 */
export const CILIUM_ACCESS_DENIED: L7DenySignature = {
  id: 'cilium-access-denied',
  status: 403,
  body: { startsWith: 'Access denied' },
  source: 'cilium/proxy cilium/l7policy.cc',
};

export const ciliumZeroTrust: ZeroTrustFacts = {
  // An identity no rule admits (or failed mutual authentication) is dropped in eBPF: a timeout.
  denials: { classes: ['DENIED_L7', 'DENIED_DROP'], l7: [CILIUM_ACCESS_DENIED] },
  enforcesCallLimits: ({ platform }) => platform.security.defaultDeny,
  // Mutual authentication is a property of policy rules: without default deny nothing requires it.
  strictMtlsRefusesPlaintext: false,
  outsidePodMetadata: { labels: {}, annotations: {} },
  // The namespace's default deny also covers egress: open it to the targets, so a refusal is theirs.
  probeCallerObjects: ({ platform }, workload, targets) => {
    // Without default deny nothing closes egress, and an egress policy would close it (DNS included).
    if (!platform.security.defaultDeny) return [];
    const egress = targets.flatMap(egressTo);
    if (egress.length === 0) return [];
    return [
      policy(workload.namespace, `${workload.name}-egress`, {
        endpointSelector: { matchLabels: { [APP_LABEL]: workload.name } },
        egress,
      }),
    ];
  },
};
