import type { GatewayApiPatch } from '../mesh.ts';

/**
 * Cilium 1.19's operator indexes TLSRoute at v1alpha2 as soon as gatewayAPI.enabled is set, and
 * crash-loops when that version is not served. Gateway API v1.5 ships TLSRoute v1 with v1alpha2
 * still in the CRD but `served: false`; Cilium moved to v1 only in 1.20 and did not backport
 * (cilium/cilium#44920, #45139; fix in PR #45251). Serving v1alpha2 again (same schema, no
 * objects use it) lets the pinned 1.19.4 start. The `test` op makes the patch fail loudly
 * instead of flipping another version if the CRD's version order ever changes.
 * The harness must apply the same patch when it installs the CRDs before Cilium.
 */
export const TLSROUTE_V1ALPHA2_PATCH: GatewayApiPatch = {
  target: { kind: 'CustomResourceDefinition', name: 'tlsroutes.gateway.networking.k8s.io' },
  patch: JSON.stringify([
    { op: 'test', path: '/spec/versions/1/name', value: 'v1alpha2' },
    { op: 'replace', path: '/spec/versions/1/served', value: true },
  ]),
};
