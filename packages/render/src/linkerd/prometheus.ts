import type { Metadata } from '../model.ts';
import { MONITORING_NAMESPACE, PROMETHEUS_STACK } from '../observability/endpoints.ts';
import { LINKERD_NAMESPACE } from './certificates.ts';

/**
 * Linkerd's identity trust domain: the chart default `identityTrustDomain`, which the issuer
 * certificate in certificates.ts (`identity.linkerd.cluster.local`) is issued for.
 */
const TRUST_DOMAIN = 'cluster.local';

/**
 * kube-prometheus-stack's Prometheus runs as ServiceAccount `<fullname>-prometheus` (the chart's
 * `kube-prometheus-stack.prometheus.serviceAccountName`; fullnameOverride `kps`) in monitoring.
 * The chart creates that ServiceAccount, so nothing committed defines it: the mTLS identity is named
 * as a string (Linkerd's `<sa>.<ns>.serviceaccount.identity.<ns>.<trust domain>` form) rather than
 * an identityRef, which `meshproof check` (REF001) resolves only against committed ServiceAccounts.
 */
export const PROMETHEUS_IDENTITY = `${PROMETHEUS_STACK}-prometheus.${MONITORING_NAMESPACE}.serviceaccount.identity.${LINKERD_NAMESPACE}.${TRUST_DOMAIN}`;

/**
 * Prometheus joins the mesh so that it scrapes /metrics over mTLS as PROMETHEUS_IDENTITY, the only
 * client the apps' metrics routes admit. Pod Security: the monitoring namespace enforces `baseline`;
 * with linkerd-cni there is no NET_ADMIN `linkerd-init`, only the non-root proxy and the
 * network-validator (all capabilities dropped), the same sidecar that runs in `restricted` app namespaces.
 *
 * Its own inbound (web port 9090): the cluster-wide default inbound policy is `all-authenticated`
 * under STRICT/default deny, which would make the proxy refuse Prometheus's unmeshed clients:
 * Flagger (flagger-system is not injected; it reads the canary metrics) and Grafana (a separate pod
 * of the release, not injected). Neither has a mesh identity to authorize, and a mesh plug-in has
 * no hook to inject them, so Prometheus keeps accepting clients from the cluster networks, meshed or
 * not (`cluster-unauthenticated`, Linkerd's `clusterNetworks`): exactly as reachable as before it was
 * meshed, nothing more. No Server is needed for that, so kubelet probes stay authorized by default.
 * Narrowing 9090 to Flagger's and Grafana's identities needs those pods meshed first.
 */
export const prometheusPodMetadata = (): Metadata => ({
  labels: {},
  annotations: {
    'linkerd.io/inject': 'enabled',
    'config.linkerd.io/default-inbound-policy': 'cluster-unauthenticated',
  },
});
