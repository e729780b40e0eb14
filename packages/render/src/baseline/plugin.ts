import type { MeshPlugin } from '../mesh.ts';
import { emptyMetadata } from '../model.ts';
import { appNamespaces } from '../workload/names.ts';
import { baselineCaveats, baselinePermissive } from './caveats.ts';
import { appPolicies, loadtesterPolicies, namespacePolicies } from './network-policies.ts';
import { baselineZeroTrust } from './zero-trust.ts';

/** No mesh: plain NetworkPolicies enforce the same default-deny and `calls` rules at L4. */
export const baseline: MeshPlugin = {
  id: 'baseline',
  crds: () => [],
  controllers: () => [],
  configs: ({ platform }) =>
    platform.security.defaultDeny
      ? appNamespaces(platform).flatMap((ns) => namespacePolicies(platform, ns))
      : [],
  namespaceMetadata: () => emptyMetadata(),
  podMetadata: () => emptyMetadata(),
  appObjects: ({ platform }, app) => (platform.security.defaultDeny ? appPolicies(platform, app) : []),
  loadtester: ({ platform }, ns) => (platform.security.defaultDeny ? loadtesterPolicies(platform, ns) : []),
  // Without a proxy nothing can split traffic by weight; Flagger's kubernetes provider runs blue/green.
  flagger: { provider: 'kubernetes', weightedTraffic: false, service: () => ({}) },
  versionRouting: () => false,
  caveats: (_ctx, app) => baselineCaveats(app),
  permissiveMtls: () => baselinePermissive,
  // No mesh: no data plane to sample.
  dataPlaneComponent: () => undefined,
  zeroTrust: baselineZeroTrust,
  // No mesh: nothing beyond the cluster itself.
  memory: () => [],
};
