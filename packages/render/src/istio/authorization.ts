import type { IAuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import type { IPeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication';
import type { App, Platform } from '@meshproof/spec';
import {
  FLAGGER_SERVICE_ACCOUNT,
  LOADTESTER_POD_LABELS,
  LOADTESTER_PORT,
  LOADTESTER_WEBHOOK_PATH,
} from '../flagger/loadtester.ts';
import { FLAGGER_NAMESPACE } from '../flagger/release.ts';
import { MONITORING_NAMESPACE, PROMETHEUS_SERVICE_ACCOUNT } from '../observability/endpoints.ts';
import { acceptFindings, permissiveReason } from '../suppress.ts';
import { APP_LABEL, appsIn, LOADTESTER } from '../workload/names.ts';
import { ISTIO_NAMESPACE } from './control-plane.ts';
import { callerRules, principal } from './principals.ts';

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
    metadata: {
      name: 'default',
      namespace: ISTIO_NAMESPACE,
      ...(platform.security.mtls === 'PERMISSIVE'
        ? { annotations: acceptFindings(['SEC001'], permissiveReason(platform)) }
        : {}),
    },
    spec: { mtls: { mode: platform.security.mtls } },
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

/** Prometheus's identity: kube-prometheus-stack's ServiceAccount in the monitoring namespace. */
export const PROMETHEUS_PRINCIPAL = principal(MONITORING_NAMESPACE, PROMETHEUS_SERVICE_ACCOUNT);

/** Flagger's identity: the flagger chart's ServiceAccount, its pods enrolled by `platformPodMetadata`. */
export const FLAGGER_PRINCIPAL = principal(FLAGGER_NAMESPACE, FLAGGER_SERVICE_ACCOUNT);

/** The ports the namespace's pods are scraped on (prometheus.io/port is the app port). */
export const metricsPorts = (platform: Platform, namespace: string): string[] =>
  [...new Set(appsIn(platform, namespace).flatMap((app) => (app.port === undefined ? [] : [app.port])))]
    .sort((a, b) => a - b)
    .map(String);

/**
 * Prometheus joins the ambient mesh to scrape over mTLS, so ztunnel sees its identity: only that
 * ServiceAccount, and only on the scraped ports, passes the namespace's deny-all. Both attributes are
 * L4, which ztunnel enforces; the path (/metrics) is not, so the port stays the boundary. Any other
 * enrolled workload of the monitoring namespace (Grafana, exporters) gets nothing.
 */
export function allowPrometheus(platform: Platform, namespace: string): IAuthorizationPolicy[] {
  const ports = metricsPorts(platform, namespace);
  if (ports.length === 0) return [];
  return [
    authorizationPolicy(namespace, 'allow-prometheus', {
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: [PROMETHEUS_PRINCIPAL] } }], to: [{ operation: { ports } }] }],
    }),
  ];
}

/** The only caller of the loadtester's webhook: Flagger, by its principal. */
const fromFlagger = [{ source: { principals: [FLAGGER_PRINCIPAL] } }];

/**
 * Flagger (flagger-system, enrolled through `platformPodMetadata`) calls the namespace's loadtester
 * over mTLS like any meshed client, and nothing else may reach it: the loadtester runs what its
 * webhook receives. Its pods stay under the mesh-wide mTLS mode, and
 * - an ALLOW rule on them admits Flagger's principal on the webhook port, with sidecars (`l7`) only
 *   POST on the webhook path; ztunnel (ambient) cannot see HTTP, so there principal and port bound it;
 * - a DENY rule on them (evaluated before every ALLOW) refuses any other source, plaintext included:
 *   namespace-wide ALLOW rules select these pods too (ambient's allow-prometheus opens the apps'
 *   metrics ports, which may be the webhook port);
 * - with a namespace `waypoint` (ambient), Flagger's calls to the loadtester Service pass the
 *   waypoint, which applies the rule attached to that Service (waypoint-deny-all refuses the rest),
 *   and ztunnel sees the waypoint's principal, which the DENY rule therefore lets through. The Service
 *   is the loadtester chart's fullname, LOADTESTER, with one port.
 */
export function loadtesterFromFlagger(
  namespace: string,
  l7: boolean,
  waypoint?: string,
): IAuthorizationPolicy[] {
  const selector = { matchLabels: { ...LOADTESTER_POD_LABELS } };
  const webhook = { methods: ['POST'], paths: [LOADTESTER_WEBHOOK_PATH] };
  const operation = { ports: [String(LOADTESTER_PORT)], ...(l7 ? webhook : {}) };
  const allowed = [FLAGGER_PRINCIPAL, ...(waypoint ? [waypoint] : [])];
  return [
    authorizationPolicy(namespace, `${LOADTESTER}-deny-others`, {
      selector,
      action: 'DENY',
      rules: [{ from: [{ source: { notPrincipals: allowed } }] }],
    }),
    authorizationPolicy(namespace, `${LOADTESTER}-allow-flagger`, {
      selector,
      action: 'ALLOW',
      rules: [{ from: fromFlagger, to: [{ operation }] }],
    }),
    ...(waypoint
      ? [
          authorizationPolicy(namespace, `${LOADTESTER}-waypoint-allow-flagger`, {
            targetRefs: [{ group: '', kind: 'Service', name: LOADTESTER }],
            action: 'ALLOW',
            rules: [{ from: fromFlagger, to: [{ operation: webhook }] }],
          }),
        ]
      : []),
  ];
}
