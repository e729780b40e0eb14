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
export const otlpEndpoint = `http://otel-collector-opentelemetry-collector.${MONITORING_NAMESPACE}.svc.cluster.local:4318`;
/** Labels the Prometheus operator puts on the pods of the stack's Prometheus (CR `<stack>-prometheus`). */
export const PROMETHEUS_POD_LABELS = {
  'app.kubernetes.io/name': 'prometheus',
  'operator.prometheus.io/name': `${PROMETHEUS_STACK}-prometheus`,
};
