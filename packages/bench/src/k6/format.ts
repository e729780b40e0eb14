// Writes lines in the exact shape `k6 run --out json=FILE` produces (field order as in grafana/k6
// internal/output/json/wrapper.go), so tools that generate load themselves (bench --local) and tests feed the
// same parser as real k6 runs.
export type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';

export const metricLine = (name: string, type: MetricType, contains: 'default' | 'time' | 'data'): string =>
  JSON.stringify({
    type: 'Metric',
    data: { name, type, contains, thresholds: [], submetrics: null },
    metric: name,
  });

export const pointLine = (
  metric: string,
  time: Date | string,
  value: number,
  tags: Record<string, string>,
): string =>
  JSON.stringify({
    metric,
    type: 'Point',
    data: { time: typeof time === 'string' ? time : time.toISOString(), value, tags },
  });

/** The metrics k6 declares for an HTTP request, with their types (k6 docs "Built-in metrics"). */
export const HTTP_METRICS: ReadonlyArray<readonly [string, MetricType, 'default' | 'time' | 'data']> = [
  ['http_reqs', 'counter', 'default'],
  ['http_req_duration', 'trend', 'time'],
  ['http_req_blocked', 'trend', 'time'],
  ['http_req_connecting', 'trend', 'time'],
  ['http_req_tls_handshaking', 'trend', 'time'],
  ['http_req_sending', 'trend', 'time'],
  ['http_req_waiting', 'trend', 'time'],
  ['http_req_receiving', 'trend', 'time'],
  ['http_req_failed', 'rate', 'default'],
];

/** The tags k6 puts on the HTTP metrics of one request (system tags of a GET). */
export const httpTags = (url: string, scenario: string, status = 200): Record<string, string> => ({
  expected_response: status >= 200 && status < 400 ? 'true' : 'false',
  group: '',
  method: 'GET',
  name: url,
  proto: 'HTTP/1.1',
  scenario,
  status: String(status),
  tls_version: '',
  url,
});
