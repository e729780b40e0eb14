import type { IAuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import type { IPeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication';
import type { App, Platform } from '@meshproof/spec';
import { MONITORING_NAMESPACE } from '../observability/endpoints.ts';
import { APP_LABEL } from '../workload/names.ts';
import { ISTIO_NAMESPACE } from './control-plane.ts';
import { callerRules } from './principals.ts';

type Spec = NonNullable<IAuthorizationPolicy['spec']>;

export const authorizationPolicy = (namespace: string, name: string, spec: Spec): IAuthorizationPolicy => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'AuthorizationPolicy',
  metadata: { name, namespace },
  spec,
});

/** Mesh-wide mTLS mode: a PeerAuthentication named `default` in the root namespace. */
export function meshMtls(platform: Platform): IPeerAuthentication {
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    metadata: { name: 'default', namespace: ISTIO_NAMESPACE },
    spec: { mtls: { mode: platform.security.mtls } },
  };
}

/**
 * Prometheus joins the ambient mesh to scrape over mTLS, but Flagger and Grafana (outside the mesh)
 * query it in plaintext: only the Prometheus pods accept both.
 */
export function prometheusPermissive(): IPeerAuthentication {
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    metadata: { name: 'prometheus-permissive', namespace: MONITORING_NAMESPACE },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
      mtls: { mode: 'PERMISSIVE' },
    },
  };
}

/** An ALLOW policy without rules matches nothing: every request in the namespace is denied. */
export const denyAll = (namespace: string) => authorizationPolicy(namespace, 'deny-all', {});

/**
 * Rules on the app's own pods, selected by label (sidecar proxies, or ztunnel when there is no
 * waypoint). ztunnel cannot see HTTP, so `l7` must be false there: an L7 attribute on a
 * ztunnel-enforced policy makes it fail closed.
 */
export function selectorAllow(platform: Platform, app: App, l7: boolean): IAuthorizationPolicy[] {
  const rules = callerRules(platform, app, l7);
  if (rules.length === 0) return [];
  return [
    authorizationPolicy(app.namespace, `${app.name}-allow`, {
      selector: { matchLabels: { [APP_LABEL]: app.name } },
      action: 'ALLOW',
      rules,
    }),
  ];
}

/** Lets Prometheus (enrolled in the mesh, so it has an identity) scrape every pod of the namespace. */
export const allowFromNamespace = (namespace: string, name: string, from: string) =>
  authorizationPolicy(namespace, name, {
    action: 'ALLOW',
    rules: [{ from: [{ source: { namespaces: [from] } }] }],
  });
