// In-cluster addresses of the observability services, shared by the workloads and Flagger.
export const MONITORING_NAMESPACE = 'monitoring';
/** kube-prometheus-stack names its objects after `fullnameOverride`. */
export const PROMETHEUS_STACK = 'kps';
export const prometheusUrl = `http://${PROMETHEUS_STACK}-prometheus.${MONITORING_NAMESPACE}.svc.cluster.local:9090`;
export const otlpEndpoint = `http://otel-collector-opentelemetry-collector.${MONITORING_NAMESPACE}.svc.cluster.local:4318`;
/** Labels the Prometheus operator puts on the pods of the stack's Prometheus (CR `<stack>-prometheus`). */
export const PROMETHEUS_POD_LABELS = {
  'app.kubernetes.io/name': 'prometheus',
  'operator.prometheus.io/name': `${PROMETHEUS_STACK}-prometheus`,
};
