import type { IAuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import type { IPeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication';
import type { App, Platform } from '@meshproof/spec';
import { LOADTESTER_POD_LABELS, LOADTESTER_PORT, LOADTESTER_WEBHOOK_PATH } from '../flagger/loadtester.ts';
import type { K8sObject } from '../model.ts';
import { MONITORING_NAMESPACE, PROMETHEUS_STACK } from '../observability/endpoints.ts';
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

/**
 * kube-prometheus-stack runs Prometheus as ServiceAccount `<fullnameOverride>-prometheus` (the chart's
 * `kube-prometheus-stack.prometheus.serviceAccountName`) in the monitoring namespace.
 */
export const PROMETHEUS_PRINCIPAL = principal(MONITORING_NAMESPACE, `${PROMETHEUS_STACK}-prometheus`);

/** `meshproof check` per-object suppression: "<check ID>: <reason>". */
const DOCTOR_IGNORE = 'meshproof.dev/ignore';
const PROMETHEUS_SA_REASON = `REF001: kube-prometheus-stack creates ServiceAccount ${MONITORING_NAMESPACE}/${PROMETHEUS_STACK}-prometheus (fullnameOverride ${PROMETHEUS_STACK})`;

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
  const policy = authorizationPolicy(namespace, 'allow-prometheus', {
    action: 'ALLOW',
    rules: [{ from: [{ source: { principals: [PROMETHEUS_PRINCIPAL] } }], to: [{ operation: { ports } }] }],
  });
  // The chart, not this repo, creates the ServiceAccount, so `meshproof check` (REF001) cannot see it.
  policy.metadata = { ...policy.metadata, annotations: { [DOCTOR_IGNORE]: PROMETHEUS_SA_REASON } };
  return [policy];
}

/**
 * Flagger (flagger-system, outside the mesh) calls the namespace's loadtester in plaintext: under
 * STRICT mTLS the loadtester pods alone accept plaintext as well (they listen on the webhook port
 * only), and an ALLOW rule opens that port. A plaintext client has no principal or namespace to
 * match, so the rule names no source: it is bounded by the pods and the port, and with sidecars (`l7`)
 * by POST on the webhook path. ztunnel (ambient) cannot see HTTP, so there the port is the boundary.
 * Meshing Flagger would let this name its principal instead; this repo leaves flagger-system unmeshed.
 */
export function loadtesterFromFlagger(platform: Platform, namespace: string, l7: boolean): K8sObject[] {
  const selector = { matchLabels: { ...LOADTESTER_POD_LABELS } };
  const permissive: IPeerAuthentication = {
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    metadata: {
      name: `${LOADTESTER}-permissive`,
      namespace,
      annotations: {
        [DOCTOR_IGNORE]: `SEC001: Flagger (flagger-system, not meshed) calls the loadtester webhook in plaintext, only the loadtester pods accept it and they serve nothing but port ${LOADTESTER_PORT}`,
      },
    },
    spec: { selector, mtls: { mode: 'PERMISSIVE' } },
  };
  const operation: Record<string, unknown> = { ports: [String(LOADTESTER_PORT)] };
  if (l7) Object.assign(operation, { methods: ['POST'], paths: [LOADTESTER_WEBHOOK_PATH] });
  const allow = authorizationPolicy(namespace, `${LOADTESTER}-allow-flagger`, {
    selector,
    action: 'ALLOW',
    rules: [{ to: [{ operation }] }],
  });
  return [...(platform.security.mtls === 'STRICT' ? [permissive] : []), allow];
}
