import type { ICiliumNetworkPolicy } from '@kubernetes-models/cilium/cilium.io/v2/CiliumNetworkPolicy';
import type { App, Call, Platform } from '@meshproof/spec';
import {
  FLAGGER_SERVICE_ACCOUNT,
  LOADTESTER_POD_LABELS,
  LOADTESTER_PORT,
  LOADTESTER_WEBHOOK_PATH,
} from '../flagger/loadtester.ts';
import { FLAGGER_NAMESPACE } from '../flagger/release.ts';
import {
  MONITORING_NAMESPACE,
  OTEL_COLLECTOR_POD_LABELS,
  OTLP_HTTP_PORT,
  PROMETHEUS_SERVICE_ACCOUNT,
} from '../observability/endpoints.ts';
import {
  APP_LABEL,
  callersOf,
  findApp,
  LOADTESTER,
  loadTargets,
  serviceAccountName,
} from '../workload/names.ts';

type Spec = NonNullable<ICiliumNetworkPolicy['spec']>;
type IngressRule = NonNullable<Spec['ingress']>[number];
type EgressRule = NonNullable<Spec['egress']>[number];
type HttpRule = { method?: string; path?: string };

// Labels Cilium derives for every endpoint: its namespace and its ServiceAccount.
const NAMESPACE = 'k8s:io.kubernetes.pod.namespace';
const SERVICE_ACCOUNT = 'io.cilium.k8s.policy.serviceaccount';

/**
 * kube-prometheus-stack's Prometheus runs as ServiceAccount PROMETHEUS_SERVICE_ACCOUNT in the
 * monitoring namespace. /metrics admits that identity only: a namespace-wide rule would
 * also admit Grafana and every other pod in the namespace.
 */
export const PROMETHEUS_ENDPOINT = {
  [SERVICE_ACCOUNT]: PROMETHEUS_SERVICE_ACCOUNT,
  [NAMESPACE]: MONITORING_NAMESPACE,
} as const;

export const policy = (namespace: string, name: string, spec: Spec): ICiliumNetworkPolicy => ({
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumNetworkPolicy',
  metadata: { name, namespace },
  spec,
});

/**
 * A spec path prefix as Cilium's HTTP `path` regex, which must match the whole request path:
 * the prefix itself, or it followed by a further segment or a query.
 */
export function pathRegex(prefix: string): string {
  if (prefix === '/') return '/.*';
  const escaped = prefix.replace(/\/+$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return `${escaped}([/?].*)?`;
}

/** HTTP rules for one call; an unrestricted call still gets an (allow-all) L7 rule, see appPolicy. */
export function httpRules(call: Call): HttpRule[] {
  const methods = call.methods ?? [undefined];
  const paths = call.paths ?? [undefined];
  return methods.flatMap((method) =>
    paths.map((p) => ({ ...(method ? { method } : {}), ...(p ? { path: pathRegex(p) } : {}) })),
  );
}

/**
 * Namespace default deny: an empty ingress rule and a DNS-only egress rule select every pod, so
 * everything else is dropped in both directions. The DNS rule goes through Cilium's DNS proxy.
 */
export function namespaceDefaultDeny(namespace: string): ICiliumNetworkPolicy {
  return policy(namespace, 'default-deny', {
    endpointSelector: {},
    ingress: [{}],
    egress: [
      {
        toEndpoints: [{ matchLabels: { [NAMESPACE]: 'kube-system', 'k8s:k8s-app': 'kube-dns' } }],
        toPorts: [
          {
            ports: [
              { port: '53', protocol: 'UDP' },
              { port: '53', protocol: 'TCP' },
            ],
            rules: { dns: [{ matchPattern: '*' }] },
          },
        ],
      },
    ],
  });
}

/**
 * With tracing, every app exports spans to the OpenTelemetry collector (OTEL_EXPORTER_OTLP_ENDPOINT):
 * its pods in the monitoring namespace, OTLP/HTTP only. No policy selects the collector, so it
 * admits them (and needs no mutual authentication).
 */
const collectorEgress: EgressRule = {
  toEndpoints: [{ matchLabels: { ...OTEL_COLLECTOR_POD_LABELS, [NAMESPACE]: MONITORING_NAMESPACE } }],
  toPorts: [{ ports: [{ port: String(OTLP_HTTP_PORT), protocol: 'TCP' }] }],
};

/** Egress to an app's pods on its port (L3/L4: the callee's own rules judge methods and paths). */
export function egressTo(callee: App): EgressRule[] {
  if (callee.port === undefined) return [];
  return [
    {
      toEndpoints: [{ matchLabels: { [APP_LABEL]: callee.name, [NAMESPACE]: callee.namespace } }],
      toPorts: [{ ports: [{ port: String(callee.port), protocol: 'TCP' }] }],
    },
  ];
}

/**
 * Per app: ingress from exactly its callers' ServiceAccounts with their methods/paths (mutual
 * authentication required when on), from kubelet for probes and from Prometheus's ServiceAccount for
 * /metrics; egress to exactly its callees (and, with tracing, the collector). Every ingress rule on the app port carries HTTP rules: a
 * plain L4 allow on the same port would make the L7 rules of the other callers ineffective.
 */
export function appPolicy(
  platform: Platform,
  app: App,
  mutualAuth: boolean,
): ICiliumNetworkPolicy | undefined {
  const port = app.port;
  const ingress: IngressRule[] = [];
  if (port !== undefined) {
    const toPorts = (http: HttpRule[]) => [
      { ports: [{ port: String(port), protocol: 'TCP' }], rules: { http } },
    ];
    for (const { caller, call } of callersOf(platform, app)) {
      ingress.push({
        fromEndpoints: [
          { matchLabels: { [SERVICE_ACCOUNT]: serviceAccountName(caller), [NAMESPACE]: caller.namespace } },
        ],
        ...(mutualAuth ? { authentication: { mode: 'required' } } : {}),
        toPorts: toPorts(httpRules(call)),
      });
    }
    const probes = [app.health.liveness, app.health.readiness].map((p) => ({
      method: 'GET',
      path: pathRegex(p),
    }));
    ingress.push({ fromEntities: ['host'], toPorts: toPorts(probes) });
    if (platform.observability.prometheus) {
      ingress.push({
        fromEndpoints: [{ matchLabels: { ...PROMETHEUS_ENDPOINT } }],
        toPorts: toPorts([{ method: 'GET', path: '/metrics' }]),
      });
    }
  }
  const egress: EgressRule[] = app.calls.flatMap((call) => {
    const callee = findApp(platform, call.app);
    return callee ? egressTo(callee) : [];
  });
  if (platform.observability.tracing) egress.push(collectorEgress);
  if (ingress.length === 0 && egress.length === 0) return undefined;
  const endpointSelector = { matchLabels: { [APP_LABEL]: app.name } };
  // A direction without rules stays absent: an empty list would still switch on default deny.
  const spec: Spec =
    ingress.length === 0
      ? { endpointSelector, egress }
      : egress.length === 0
        ? { endpointSelector, ingress }
        : { endpointSelector, ingress, egress };
  return policy(app.namespace, app.name, spec);
}

/**
 * Lets Cilium's gateway Envoy (the reserved `ingress` identity; the client's own identity is gone
 * once Envoy proxies the request) reach an exposed app, under its path prefix only. The rule carries
 * an HTTP rule like every other rule on the app port, so it cannot open the port at L4.
 */
export function ingressPolicy(app: App): ICiliumNetworkPolicy | undefined {
  if (app.port === undefined || app.expose === undefined) return undefined;
  return policy(app.namespace, `${app.name}-ingress`, {
    endpointSelector: { matchLabels: { [APP_LABEL]: app.name } },
    ingress: [
      {
        fromEntities: ['ingress'],
        toPorts: [
          {
            ports: [{ port: String(app.port), protocol: 'TCP' }],
            rules: { http: [{ path: pathRegex(app.expose.pathPrefix) }] },
          },
        ],
      },
    ],
  });
}

/**
 * The namespace's Flagger loadtester: Flagger's endpoint (its ServiceAccount in flagger-system) may
 * POST to the webhook path on the webhook port, nothing else reaches it; it may call the canary apps
 * on their ports (DNS comes from the namespace's default-deny). The canary apps admit it through
 * their own policies (callersOf), with mutual authentication when that is on.
 */
export function loadtesterPolicy(platform: Platform, namespace: string): ICiliumNetworkPolicy {
  return policy(namespace, LOADTESTER, {
    endpointSelector: { matchLabels: { ...LOADTESTER_POD_LABELS } },
    ingress: [
      {
        fromEndpoints: [
          { matchLabels: { [SERVICE_ACCOUNT]: FLAGGER_SERVICE_ACCOUNT, [NAMESPACE]: FLAGGER_NAMESPACE } },
        ],
        toPorts: [
          {
            ports: [{ port: String(LOADTESTER_PORT), protocol: 'TCP' }],
            // Cilium's path is a regex over the whole path: exactly the webhook path.
            rules: { http: [{ method: 'POST', path: LOADTESTER_WEBHOOK_PATH }] },
          },
        ],
      },
    ],
    egress: loadTargets(platform, namespace).map((app) => ({
      toEndpoints: [{ matchLabels: { [APP_LABEL]: app.name, [NAMESPACE]: app.namespace } }],
      toPorts: [{ ports: [{ port: String(app.port), protocol: 'TCP' }] }],
    })),
  });
}
