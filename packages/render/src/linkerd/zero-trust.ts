import type { L7DenySignature, ZeroTrustFacts } from '../mesh.ts';

// The inbound proxy synthesises both answers with an empty body (linkerd2-proxy
// linkerd/app/inbound/src/http/server.rs, ServerRescue: HttpRouteUnauthorized -> permission denied,
// HttpRouteNotFound -> not found). Its l5d-proxy-error header goes to meshed peers only and their own
// proxy strips it, so the calling app sees neither a body nor that header.
const SOURCE = 'linkerd/linkerd2-proxy linkerd/app/inbound/src/http/server.rs';

/** A route matched, but no AuthorizationPolicy on it admits the caller. */
export const LINKERD_FORBIDDEN: L7DenySignature = {
  id: 'linkerd-forbidden',
  status: 403,
  body: { empty: true },
  source: SOURCE,
};

/**
 * No route of the Server matches the request: a method or path that no `calls` entry covers has no
 * route at all (linkerd/access.ts renders only the routes someone may use).
 */
export const LINKERD_NO_ROUTE: L7DenySignature = {
  id: 'linkerd-no-route',
  status: 404,
  body: { empty: true },
  source: SOURCE,
};

export const linkerdZeroTrust: ZeroTrustFacts = {
  // Non-HTTP traffic is refused after the proxy accepted it (website features/server-policy.md).
  denials: { classes: ['DENIED_L7', 'DENIED_RESET'], l7: [LINKERD_FORBIDDEN, LINKERD_NO_ROUTE] },
  // Routes and their AuthorizationPolicies are rendered under default deny only.
  enforcesCallLimits: ({ platform }) => platform.security.defaultDeny,
  // STRICT makes the default inbound policy all-authenticated (plugin.ts defaultInboundPolicy).
  strictMtlsRefusesPlaintext: true,
  outsidePodMetadata: { labels: {}, annotations: { 'linkerd.io/inject': 'disabled' } },
};
