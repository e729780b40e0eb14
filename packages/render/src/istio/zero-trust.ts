import type { L7DenySignature, ZeroTrustFacts } from '../mesh.ts';
import { usesWaypoint } from './waypoint.ts';

/**
 * Envoy's RBAC filter (sidecar or waypoint) answers a denied request itself: 403 with the local-reply
 * body `RBAC: access denied` (envoy source/extensions/filters/http/rbac/rbac_filter.cc; asserted by
 * istio tests/integration/security/authz_test.go).
 */
export const ENVOY_RBAC: L7DenySignature = {
  id: 'envoy-rbac',
  status: 403,
  body: { startsWith: 'RBAC: access denied' },
  source: 'envoyproxy/envoy source/extensions/filters/http/rbac/rbac_filter.cc',
};

/**
 * Besides Envoy's 403, an L4 refusal closes or resets an accepted connection: ztunnel's policy and
 * STRICT mTLS towards a plaintext client (istio tests/integration/ambient/baseline_test.go CheckDeny),
 * and a sidecar's TLS-only inbound listener under STRICT (istio.io mtls-migration: curl exit 56).
 * Neither data plane drops silently, so a timeout is never a denial here.
 */
const denials = { classes: ['DENIED_L7', 'DENIED_RESET'], l7: [ENVOY_RBAC] } as const;

export const sidecarZeroTrust: ZeroTrustFacts = {
  denials,
  // The allow rules (and deny-all) are rendered under default deny only.
  enforcesCallLimits: ({ platform }) => platform.security.defaultDeny,
  // PeerAuthentication STRICT holds without any AuthorizationPolicy.
  strictMtlsRefusesPlaintext: true,
  // The pod label beats the namespace's istio-injection=enabled.
  outsidePodMetadata: { labels: { 'sidecar.istio.io/inject': 'false' }, annotations: {} },
};

export const ambientZeroTrust: ZeroTrustFacts = {
  denials,
  // ztunnel alone sees no HTTP: methods and paths are enforced by the waypoint only.
  enforcesCallLimits: (ctx) => ctx.platform.security.defaultDeny && usesWaypoint(ctx),
  strictMtlsRefusesPlaintext: true,
  // `none` opts a pod out of ambient capture even in an enrolled namespace.
  outsidePodMetadata: { labels: { 'istio.io/dataplane-mode': 'none' }, annotations: {} },
};
