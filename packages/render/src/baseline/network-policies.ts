import type { App, Platform } from '@meshproof/spec';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyEgressRule } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyEgressRule';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import { FLAGGER_POD_LABELS, LOADTESTER_POD_LABELS, LOADTESTER_PORT } from '../flagger/loadtester.ts';
import { FLAGGER_NAMESPACE } from '../flagger/release.ts';
import {
  MONITORING_NAMESPACE,
  OTEL_COLLECTOR_POD_LABELS,
  OTLP_HTTP_PORT,
  PROMETHEUS_POD_LABELS,
} from '../observability/endpoints.ts';
import {
  APP_LABEL,
  appsIn,
  type Caller,
  callersOf,
  findApp,
  LOADTESTER,
  loadTargets,
} from '../workload/names.ts';

const NS_NAME = 'kubernetes.io/metadata.name';

const policy = (namespace: string, name: string, spec: INetworkPolicy['spec']): INetworkPolicy => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace },
  spec,
});

// APP_LABEL survives Flagger's relabelling of primaries, so one selector covers every pod of an app.
const podsOf = (app: Caller): INetworkPolicyPeer => ({
  namespaceSelector: { matchLabels: { [NS_NAME]: app.namespace } },
  podSelector: { matchLabels: { [APP_LABEL]: app.name } },
});

/** Namespace-wide: deny everything, then allow DNS and (when on) Prometheus scraping. */
export function namespacePolicies(platform: Platform, namespace: string): INetworkPolicy[] {
  const policies = [
    policy(namespace, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    policy(namespace, 'allow-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { [NS_NAME]: 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    }),
  ];
  // Only Prometheus itself, only on the apps' ports: Grafana or any other pod in monitoring gets nothing.
  // Every pod but the loadtester, whose webhook port may be an app port: it admits Flagger alone.
  const ports = [...new Set(appsIn(platform, namespace).flatMap((a) => a.port ?? []))].sort((a, b) => a - b);
  if (platform.observability.prometheus && ports.length > 0) {
    policies.push(
      policy(namespace, 'allow-prometheus-scrape', {
        podSelector: { matchExpressions: [{ key: APP_LABEL, operator: 'NotIn', values: [LOADTESTER] }] },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { [NS_NAME]: MONITORING_NAMESPACE } },
                podSelector: { matchLabels: { ...PROMETHEUS_POD_LABELS } },
              },
            ],
            ports: ports.map((port) => ({ protocol: 'TCP', port })),
          },
        ],
      }),
    );
  }
  return policies;
}

/**
 * Per app: ingress from exactly its callers, egress to exactly its callees and, with tracing, the
 * collector (L4 only: methods/paths need a proxy).
 */
export function appPolicies(platform: Platform, app: App): INetworkPolicy[] {
  const policies: INetworkPolicy[] = [];
  const callers = callersOf(platform, app);
  if (callers.length > 0 && app.port !== undefined) {
    policies.push(
      policy(app.namespace, `${app.name}-ingress`, {
        podSelector: { matchLabels: { [APP_LABEL]: app.name } },
        policyTypes: ['Ingress'],
        ingress: [
          { from: callers.map(({ caller }) => podsOf(caller)), ports: [{ protocol: 'TCP', port: app.port }] },
        ],
      }),
    );
  }
  const callees = app.calls.flatMap((c) => findApp(platform, c.app) ?? []);
  const egress = egressPolicy(app, callees, platform.observability.tracing ? [collectorEgress] : []);
  if (egress) policies.push(egress);
  return policies;
}

/**
 * With tracing, every app exports spans to the OpenTelemetry collector (OTEL_EXPORTER_OTLP_ENDPOINT):
 * its pods in the monitoring namespace (no NetworkPolicy there, so it admits them), OTLP/HTTP only.
 */
const collectorEgress: INetworkPolicyEgressRule = {
  to: [
    {
      namespaceSelector: { matchLabels: { [NS_NAME]: MONITORING_NAMESPACE } },
      podSelector: { matchLabels: { ...OTEL_COLLECTOR_POD_LABELS } },
    },
  ],
  ports: [{ protocol: 'TCP', port: OTLP_HTTP_PORT }],
};

/** Egress from a caller's pods to exactly its callees' pods, on their ports (and `extra` rules). */
export function egressPolicy(
  caller: Caller,
  callees: App[],
  extra: INetworkPolicyEgressRule[] = [],
): INetworkPolicy | undefined {
  const reachable = callees.filter((c) => c.port !== undefined);
  if (reachable.length === 0 && extra.length === 0) return undefined;
  return policy(caller.namespace, `${caller.name}-egress`, {
    podSelector: { matchLabels: { [APP_LABEL]: caller.name } },
    policyTypes: ['Egress'],
    egress: [
      ...reachable.map(
        (callee): INetworkPolicyEgressRule => ({
          to: [podsOf(callee)],
          ports: [{ protocol: 'TCP', port: callee.port }],
        }),
      ),
      ...extra,
    ],
  });
}

/**
 * The Flagger loadtester of a namespace: ingress from Flagger's pods (flagger-system, which has no
 * egress policy of its own) on the webhook port only, egress to the canary apps only (DNS comes from
 * the namespace's allow-dns). Its ingress to those apps comes from their `<app>-ingress` (callersOf).
 */
export function loadtesterPolicies(platform: Platform, namespace: string): INetworkPolicy[] {
  const ingress = policy(namespace, `${LOADTESTER}-ingress`, {
    podSelector: { matchLabels: { ...LOADTESTER_POD_LABELS } },
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [
          {
            namespaceSelector: { matchLabels: { [NS_NAME]: FLAGGER_NAMESPACE } },
            podSelector: { matchLabels: { ...FLAGGER_POD_LABELS } },
          },
        ],
        ports: [{ protocol: 'TCP', port: LOADTESTER_PORT }],
      },
    ],
  });
  const egress = egressPolicy({ name: LOADTESTER, namespace }, loadTargets(platform, namespace));
  return egress ? [ingress, egress] : [ingress];
}
