import type { Platform } from '@meshproof/spec';
import { FLAGGER_SERVICE_ACCOUNT } from '../flagger/loadtester.ts';
import { FLAGGER_NAMESPACE } from '../flagger/release.ts';
import type { PlatformComponent } from '../mesh.ts';
import type { K8sObject, Metadata } from '../model.ts';
import {
  GRAFANA_SERVICE_ACCOUNT,
  MONITORING_NAMESPACE,
  PROMETHEUS_POD_LABELS,
  PROMETHEUS_PORT,
  PROMETHEUS_SERVICE_ACCOUNT,
  PROMETHEUS_STACK,
} from '../observability/endpoints.ts';
import { hasCanary } from '../workload/names.ts';
import { LINKERD_NAMESPACE } from './certificates.ts';
import {
  type AuthorizationPolicy,
  type MeshTLSAuthentication,
  POLICY_GROUP,
  type Server,
} from './policy-types.ts';

/**
 * Linkerd's identity trust domain: the chart default `identityTrustDomain`, which the issuer
 * certificate in certificates.ts (`identity.linkerd.cluster.local`) is issued for.
 */
const TRUST_DOMAIN = 'cluster.local';

/** The mTLS identity Linkerd gives a meshed pod: `<sa>.<ns>.serviceaccount.identity.<ns>.<trust domain>`. */
export const meshIdentity = (namespace: string, serviceAccount: string) =>
  `${serviceAccount}.${namespace}.serviceaccount.identity.${LINKERD_NAMESPACE}.${TRUST_DOMAIN}`;

/**
 * kube-prometheus-stack's Prometheus (ServiceAccount PROMETHEUS_SERVICE_ACCOUNT in monitoring). Named
 * as a string, like the other chart-created accounts of the stack (Grafana's lives in its subchart's
 * values, which `meshproof check` does not read).
 */
export const PROMETHEUS_IDENTITY = meshIdentity(MONITORING_NAMESPACE, PROMETHEUS_SERVICE_ACCOUNT);
export const GRAFANA_IDENTITY = meshIdentity(MONITORING_NAMESPACE, GRAFANA_SERVICE_ACCOUNT);
export const FLAGGER_IDENTITY = meshIdentity(FLAGGER_NAMESPACE, FLAGGER_SERVICE_ACCOUNT);

/**
 * Every platform component joins the mesh through the pod annotation (the flagger chart's default
 * podAnnotations carry it too; set here so it does not rest on a chart default): Prometheus so that
 * it scrapes /metrics over mTLS as PROMETHEUS_IDENTITY, the only client the apps' metrics routes
 * admit; Flagger and Grafana so that Prometheus (and the loadtesters) can admit them by identity.
 * Pod Security: monitoring and flagger-system enforce `baseline`; with linkerd-cni there is no
 * NET_ADMIN `linkerd-init`, only the non-root proxy and the network-validator (all capabilities
 * dropped), the same sidecar that runs in `restricted` app namespaces. Their inbound follows the
 * cluster default; Prometheus's web port is narrowed by `prometheusAccess`.
 */
export const platformPodMetadata = (_component: PlatformComponent): Metadata => ({
  labels: {},
  annotations: { 'linkerd.io/inject': 'enabled' },
});

/**
 * The meshed clients of Prometheus's web port: Prometheus itself (kube-prometheus-stack's default
 * selfMonitor ServiceMonitor scrapes that port, through its own proxy), Flagger (canary analysis)
 * and Grafana, when installed.
 */
export function prometheusClients(platform: Platform): string[] {
  return [
    PROMETHEUS_IDENTITY,
    ...(platform.apps.some(hasCanary) ? [FLAGGER_IDENTITY] : []),
    ...(platform.observability.grafana ? [GRAFANA_IDENTITY] : []),
  ];
}

/** `meshproof check` per-object suppression: "<check ID>: <reason>". */
const DOCTOR_IGNORE = 'meshproof.dev/ignore';

/**
 * Prometheus's web port admits exactly its meshed clients (`prometheusClients`) by mTLS identity: a
 * Server for the port, and an AuthorizationPolicy on the whole Server (no routes, so Linkerd keeps
 * authorizing the kubelet probes, /-/healthy and /-/ready, by default) requiring a
 * MeshTLSAuthentication of those identities. Configs layer: the Server selects the Prometheus pods of the controllers layer.
 */
export function prometheusAccess(platform: Platform): K8sObject[] {
  if (!platform.observability.prometheus) return [];
  const name = `${PROMETHEUS_STACK}-prometheus-web`;
  const namespace = MONITORING_NAMESPACE;
  const server: Server = {
    apiVersion: 'policy.linkerd.io/v1beta3',
    kind: 'Server',
    metadata: {
      name,
      namespace,
      annotations: {
        [DOCTOR_IGNORE]: `REF004: the Prometheus operator creates the pods (labels ${Object.entries(
          PROMETHEUS_POD_LABELS,
        )
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')}) with containerPort ${PROMETHEUS_PORT} (web)`,
      },
    },
    spec: {
      podSelector: { matchLabels: { ...PROMETHEUS_POD_LABELS } },
      port: PROMETHEUS_PORT,
      proxyProtocol: 'HTTP/1',
    },
  };
  const identities = prometheusClients(platform);
  const authn: MeshTLSAuthentication = {
    apiVersion: 'policy.linkerd.io/v1alpha1',
    kind: 'MeshTLSAuthentication',
    metadata: { name: `${name}-clients`, namespace },
    spec: { identities },
  };
  const authz: AuthorizationPolicy = {
    apiVersion: 'policy.linkerd.io/v1alpha1',
    kind: 'AuthorizationPolicy',
    metadata: { name, namespace },
    spec: {
      targetRef: { group: POLICY_GROUP, kind: 'Server', name },
      requiredAuthenticationRefs: [
        { group: POLICY_GROUP, kind: 'MeshTLSAuthentication', name: authn.metadata.name },
      ],
    },
  };
  return [server, authn, authz];
}
