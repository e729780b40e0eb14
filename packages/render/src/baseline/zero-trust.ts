import type { ZeroTrustFacts } from '../mesh.ts';
import { egressPolicy } from './network-policies.ts';

/**
 * Plain NetworkPolicies: kindnet (kube-network-policies) drops the first packet of a denied connection
 * silently (NF_DROP), so the client times out; there is no proxy to see methods, paths or TLS.
 */
export const baselineZeroTrust: ZeroTrustFacts = {
  denials: { classes: ['DENIED_DROP'], l7: [] },
  enforcesCallLimits: () => false,
  strictMtlsRefusesPlaintext: false,
  outsidePodMetadata: { labels: {}, annotations: {} },
  // The namespace's default deny also covers egress: open it to the targets, so a refusal is theirs.
  probeCallerObjects: ({ platform }, workload, targets) => {
    // Without default deny nothing closes egress, and an egress policy would close it (DNS included).
    if (!platform.security.defaultDeny) return [];
    const egress = egressPolicy(workload, [...targets]);
    return egress ? [egress] : [];
  },
};
