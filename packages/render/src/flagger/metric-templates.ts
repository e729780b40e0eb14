import type { FlaggerSupport } from '../mesh.ts';
import type { K8sObject } from '../model.ts';
import { prometheusUrl } from '../observability/endpoints.ts';
import { FLAGGER_NAMESPACE } from './release.ts';

/**
 * Canary checks read the apps' own `http_request_duration_seconds` histogram on every mesh. Flagger's
 * built-in checks cannot: for `gatewayapi:*` providers they fall back to Istio's `istio_requests_total`
 * (absent on Linkerd, Cilium and ambient without a destination reporter), and the `kubernetes`
 * provider's query also counts kubelet probes and Prometheus scrapes, which always succeed, so an
 * idle or faulty canary would pass.
 */
export const CANARY_METRICS = { successRate: 'app-success-rate', p99: 'app-latency-p99' } as const;

// Canary pods only (`<target>-<hash>-<hash>`, not `<target>-primary-…`), app routes only.
const selector = [
  'kubernetes_namespace="{{ namespace }}"',
  'kubernetes_pod_name=~"{{ target }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)"',
  'path!~"/healthz|/readyz|/metrics"',
].join(', ');

const rate = (series: string, extra = '') =>
  `rate(http_request_duration_seconds_${series}{${selector}${extra}}[{{ interval }}])`;

const template = (name: string, query: string): K8sObject =>
  ({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'MetricTemplate',
    metadata: { name, namespace: FLAGGER_NAMESPACE },
    spec: { provider: { type: 'prometheus', address: prometheusUrl }, query },
  }) as K8sObject;

/**
 * Success rate in percent and p99 latency in milliseconds, the units of the spec's thresholds, then
 * one template per check of the mesh (`FlaggerSupport.metrics`).
 */
export function canaryMetricTemplates(flagger: FlaggerSupport): K8sObject[] {
  return [
    template(
      CANARY_METRICS.successRate,
      `sum(${rate('count', ', status!~"5.*"')}) / sum(${rate('count')}) * 100`,
    ),
    template(CANARY_METRICS.p99, `histogram_quantile(0.99, sum by (le) (${rate('bucket')})) * 1000`),
    ...(flagger.metrics ?? []).map((m) => template(m.name, m.query)),
  ];
}

export const templateRef = (name: string) => ({ name, namespace: FLAGGER_NAMESPACE });
