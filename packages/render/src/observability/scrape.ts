/**
 * A pod scrape job driven by the usual prometheus.io/* annotations. It adds the `kubernetes_namespace`
 * and `kubernetes_pod_name` labels the canary MetricTemplates (flagger/metric-templates.ts) filter on.
 */
export const podScrapeJob = {
  job_name: 'kubernetes-pods',
  kubernetes_sd_configs: [{ role: 'pod' }],
  relabel_configs: [
    {
      source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'],
      action: 'keep',
      regex: 'true',
    },
    {
      source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_path'],
      action: 'replace',
      target_label: '__metrics_path__',
      regex: '(.+)',
    },
    {
      source_labels: ['__address__', '__meta_kubernetes_pod_annotation_prometheus_io_port'],
      action: 'replace',
      regex: '([^:]+)(?::\\d+)?;(\\d+)',
      replacement: '$1:$2',
      target_label: '__address__',
    },
    { action: 'labelmap', regex: '__meta_kubernetes_pod_label_(.+)' },
    {
      source_labels: ['__meta_kubernetes_namespace'],
      action: 'replace',
      target_label: 'kubernetes_namespace',
    },
    { source_labels: ['__meta_kubernetes_pod_name'], action: 'replace', target_label: 'kubernetes_pod_name' },
  ],
};
