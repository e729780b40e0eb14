// In-cluster addresses of the observability services, shared by the workloads and Flagger.
export const MONITORING_NAMESPACE = 'monitoring';
/** kube-prometheus-stack names its objects after `fullnameOverride`. */
export const PROMETHEUS_STACK = 'kps';
/** The Prometheus web port (API and UI), where Flagger and Grafana query it. */
export const PROMETHEUS_PORT = 9090;
export const prometheusUrl = `http://${PROMETHEUS_STACK}-prometheus.${MONITORING_NAMESPACE}.svc.cluster.local:${PROMETHEUS_PORT}`;
/**
 * The ServiceAccount kube-prometheus-stack runs Prometheus as: `<fullname>-prometheus` (the chart's
 * `kube-prometheus-stack.prometheus.serviceAccountName`), in MONITORING_NAMESPACE.
 */
export const PROMETHEUS_SERVICE_ACCOUNT = `${PROMETHEUS_STACK}-prometheus`;
/**
 * The ServiceAccount of the stack's Grafana: set explicitly (grafana.serviceAccount.name) rather than
 * left to the grafana subchart's fullname, so the mesh policies that admit Grafana can name it.
 */
export const GRAFANA_SERVICE_ACCOUNT = `${PROMETHEUS_STACK}-grafana`;
/** HelmRelease (and Helm release) name of the OpenTelemetry collector. */
export const OTEL_COLLECTOR_RELEASE = 'otel-collector';
/** The collector's OTLP/HTTP receiver: the chart's `otlp-http` port (container and Service port). */
export const OTLP_HTTP_PORT = 4318;
export const otlpEndpoint = `http://${OTEL_COLLECTOR_RELEASE}-opentelemetry-collector.${MONITORING_NAMESPACE}.svc.cluster.local:${OTLP_HTTP_PORT}`;
/**
 * Labels the opentelemetry-collector chart puts on its pods in `mode: deployment`: its selector labels
 * (`app.kubernetes.io/name` = chart name, `app.kubernetes.io/instance` = release name) and
 * `component: standalone-collector`. The app egress rules that let spans out select these.
 */
export const OTEL_COLLECTOR_POD_LABELS = {
  'app.kubernetes.io/name': 'opentelemetry-collector',
  'app.kubernetes.io/instance': OTEL_COLLECTOR_RELEASE,
  component: 'standalone-collector',
};
/** Labels the Prometheus operator puts on the pods of the stack's Prometheus (CR `<stack>-prometheus`). */
export const PROMETHEUS_POD_LABELS = {
  'app.kubernetes.io/name': 'prometheus',
  'operator.prometheus.io/name': `${PROMETHEUS_STACK}-prometheus`,
};
