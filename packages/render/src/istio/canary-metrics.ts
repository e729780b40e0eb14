import type { MeshCanaryMetric } from '../mesh.ts';

/** Name of the sidecar check's MetricTemplate and Canary metric (not a Flagger built-in name). */
export const ENVOY_SUCCESS_RATE = 'envoy-success-rate';

// What the canary pods' sidecars report on their inbound side. `destination_workload` is the
// Deployment that owns the pod: `<target>` for the canary, `<target>-primary` for the primary.
// Prometheus reads these series through Istio's metrics merging (pilot-agent on :15020 serves
// Envoy's and the app's metrics together, behind the rewritten prometheus.io/* annotations); the
// scrape job (observability/scrape.ts) keeps metric labels as they are.
const selector = [
  'reporter="destination"',
  'destination_workload_namespace="{{ namespace }}"',
  'destination_workload="{{ target }}"',
].join(', ');

const rate = (extra = '') => `sum(rate(istio_requests_total{${selector}${extra}}[{{ interval }}]))`;

/**
 * Envoy's request success rate for the canary workload, in percent. The app's own histogram never
 * sees what the sidecar answers for it: a 503 while the canary container is crashed or restarting,
 * connections it refuses or resets. Kubelet probes (rewritten to pilot-agent) and scrapes (:15020)
 * do not pass Envoy's inbound listener, so only real traffic counts. Gated on the spec's
 * `canary.minSuccessRate`, like the app's own success rate.
 */
export const envoySuccessRate: MeshCanaryMetric = {
  name: ENVOY_SUCCESS_RATE,
  query: `${rate(', response_code!~"5.*"')} / ${rate()} * 100`,
  thresholdRange: (canary) => ({ min: canary.minSuccessRate }),
};
