import type { IAuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import type { App } from '@meshproof/spec';
import { INGRESS_GATEWAY } from '../gateway/ingress.ts';
import type { IngressSupport, MeshContext } from '../mesh.ts';
import { APP_LABEL } from '../workload/names.ts';
import { authorizationPolicy } from './authorization.ts';
import { prefixPaths, principal } from './principals.ts';
import { usesWaypoint } from './waypoint.ts';

const GATEWAY_CLASS = 'istio';

/**
 * istiod deploys a Gateway of class `istio` as `<gateway>-istio`: Deployment, Service and the
 * ServiceAccount whose identity the gateway presents to the app.
 */
export const ingressPrincipal = () =>
  principal(INGRESS_GATEWAY.namespace, `${INGRESS_GATEWAY.name}-${GATEWAY_CLASS}`);

/** The gateway may call the app, under its exposed path prefix only when an L7 proxy enforces it. */
function ingressRule(app: App, l7: boolean) {
  const prefix = app.expose?.pathPrefix ?? '/';
  return {
    from: [{ source: { principals: [ingressPrincipal()] } }],
    ...(l7 && prefix !== '/' ? { to: [{ operation: { paths: prefixPaths(prefix) } }] } : {}),
  };
}

const policyName = (app: App) => `${app.name}-ingress`;

/** Sidecar: the app's own Envoy enforces the rule, selected by the app label. */
const sidecarAllow = (app: App): IAuthorizationPolicy =>
  authorizationPolicy(app.namespace, policyName(app), {
    selector: { matchLabels: { [APP_LABEL]: app.name } },
    action: 'ALLOW',
    rules: [ingressRule(app, true)],
  });

/**
 * Ambient: with a waypoint, the gateway sends through it (the namespace carries
 * istio.io/ingress-use-waypoint), so the rule sits on the Service like the callers' rules; without
 * one, ztunnel enforces an L4-only rule on the app's pods.
 */
const ambientAllow = (ctx: MeshContext, app: App): IAuthorizationPolicy =>
  usesWaypoint(ctx)
    ? authorizationPolicy(app.namespace, policyName(app), {
        targetRefs: [{ group: '', kind: 'Service', name: app.name }],
        action: 'ALLOW',
        rules: [ingressRule(app, true)],
      })
    : authorizationPolicy(app.namespace, policyName(app), {
        selector: { matchLabels: { [APP_LABEL]: app.name } },
        action: 'ALLOW',
        rules: [ingressRule(app, false)],
      });

// Without default deny nothing is denied, and an ALLOW policy for the gateway would deny every other caller.
export const sidecarIngress: IngressSupport = {
  gatewayClassName: GATEWAY_CLASS,
  allow: ({ platform }, app) => (platform.security.defaultDeny ? [sidecarAllow(app)] : []),
};

export const ambientIngress: IngressSupport = {
  gatewayClassName: GATEWAY_CLASS,
  allow: (ctx, app) => (ctx.platform.security.defaultDeny ? [ambientAllow(ctx, app)] : []),
};

/**
 * Gateway traffic skips the waypoint unless asked: with this label on the app namespace it takes the
 * waypoint, which then applies the Service's policies and routes (a canary's weights too).
 */
export const INGRESS_USE_WAYPOINT = { 'istio.io/ingress-use-waypoint': 'true' };
