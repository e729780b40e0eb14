import type { Platform } from '@meshproof/spec';
import { helmRelease, helmRepository } from '../flux/helm.ts';
import type { K8sObject, Metadata } from '../model.ts';
import { OBSERVABILITY } from '../versions.ts';
import { namespace } from '../workload/namespace.ts';
import { appDashboard, DASHBOARD_LABEL } from './dashboards.ts';
import {
  GRAFANA_SERVICE_ACCOUNT,
  MONITORING_NAMESPACE,
  OTEL_COLLECTOR_RELEASE,
  PROMETHEUS_STACK,
} from './endpoints.ts';
import { podScrapeJob } from './scrape.ts';

const release = (
  name: string,
  repository: string,
  chart: string,
  version: string,
  values: Record<string, unknown>,
) => helmRelease({ name, namespace: MONITORING_NAMESPACE, repository, chart, version, values });

const podMetadata = (m: Metadata) =>
  Object.keys(m.labels).length + Object.keys(m.annotations).length === 0 ? undefined : m;

/** What the mesh adds to the pods of Prometheus (to scrape meshed pods) and Grafana (to query it). */
export interface ObservabilityPods {
  prometheus: Metadata;
  grafana: Metadata;
}

// The grafana chart's pod metadata values (the stack passes `grafana.*` to its grafana subchart).
const grafanaPod = (m: Metadata) => ({
  ...(Object.keys(m.labels).length > 0 ? { podLabels: m.labels } : {}),
  ...(Object.keys(m.annotations).length > 0 ? { podAnnotations: m.annotations } : {}),
});

/** Prometheus (and Grafana with the apps dashboard) from kube-prometheus-stack, trimmed for kind. */
function prometheus(platform: Platform, mesh: ObservabilityPods): K8sObject[] {
  const grafana = platform.observability.grafana;
  return [
    helmRepository('prometheus-community', OBSERVABILITY.kubePrometheusStack.repo),
    release(
      'kube-prometheus-stack',
      'prometheus-community',
      'kube-prometheus-stack',
      OBSERVABILITY.kubePrometheusStack.version,
      {
        fullnameOverride: PROMETHEUS_STACK,
        alertmanager: { enabled: false },
        // Host-level exporters need privileged pods and are not what the demo measures.
        nodeExporter: { enabled: false },
        kubeStateMetrics: { enabled: false },
        grafana: grafana
          ? {
              enabled: true,
              // The stack's default admin password is public knowledge; empty makes the grafana chart
              // generate a random one into its Secret (and keep it across upgrades).
              adminPassword: '',
              serviceAccount: { create: true, name: GRAFANA_SERVICE_ACCOUNT },
              ...grafanaPod(mesh.grafana),
              sidecar: {
                dashboards: { enabled: true, label: DASHBOARD_LABEL, searchNamespace: MONITORING_NAMESPACE },
              },
            }
          : { enabled: false },
        prometheus: {
          prometheusSpec: {
            retention: '2d',
            additionalScrapeConfigs: [podScrapeJob],
            podMetadata: podMetadata(mesh.prometheus),
          },
        },
      },
    ),
    ...(grafana ? [appDashboard(platform)] : []),
  ];
}

/** OpenTelemetry collector receiving OTLP from the apps and exporting traces to Jaeger. */
function tracing(): K8sObject[] {
  return [
    helmRepository('open-telemetry', OBSERVABILITY.openTelemetryCollector.repo),
    helmRepository('jaegertracing', OBSERVABILITY.jaeger.repo),
    release('jaeger', 'jaegertracing', 'jaeger', OBSERVABILITY.jaeger.version, {}),
    release(
      OTEL_COLLECTOR_RELEASE,
      'open-telemetry',
      'opentelemetry-collector',
      OBSERVABILITY.openTelemetryCollector.version,
      {
        mode: 'deployment',
        image: { repository: 'otel/opentelemetry-collector-contrib' },
        config: {
          exporters: {
            otlp: {
              endpoint: `jaeger.${MONITORING_NAMESPACE}.svc.cluster.local:4317`,
              tls: { insecure: true },
            },
          },
          service: { pipelines: { traces: { exporters: ['otlp'] } } },
        },
      },
    ),
  ];
}

/** Loki as a single binary with filesystem storage: enough for one kind cluster. */
function logs(): K8sObject[] {
  return [
    helmRepository('grafana', OBSERVABILITY.loki.repo),
    release('loki', 'grafana', 'loki', OBSERVABILITY.loki.version, {
      deploymentMode: 'SingleBinary',
      singleBinary: { replicas: 1 },
      loki: { auth_enabled: false, commonConfig: { replication_factor: 1 }, storage: { type: 'filesystem' } },
    }),
  ];
}

/**
 * Observability HelmReleases per the spec's toggles, in the monitoring namespace. `mesh`: what the
 * mesh adds to the Prometheus and Grafana pods to enrol them.
 */
export function observabilityObjects(platform: Platform, mesh: ObservabilityPods): K8sObject[] {
  const o = platform.observability;
  if (!o.prometheus && !o.tracing && !o.logs) return [];
  return [
    namespace(MONITORING_NAMESPACE, 'baseline'),
    ...(o.prometheus ? prometheus(platform, mesh) : []),
    ...(o.tracing ? tracing() : []),
    ...(o.logs ? logs() : []),
  ];
}
