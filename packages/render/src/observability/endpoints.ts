// In-cluster addresses of the observability services, shared by the workloads and Flagger.
export const MONITORING_NAMESPACE = 'monitoring';
export const otlpEndpoint = `http://otel-collector.${MONITORING_NAMESPACE}.svc.cluster.local:4318`;
export const prometheusUrl = `http://prometheus-server.${MONITORING_NAMESPACE}.svc.cluster.local:80`;
