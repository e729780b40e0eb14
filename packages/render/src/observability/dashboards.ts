import type { Platform } from '@meshproof/spec';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { MONITORING_NAMESPACE } from './endpoints.ts';

/** Grafana's dashboard sidecar loads every ConfigMap carrying this label. */
export const DASHBOARD_LABEL = 'grafana_dashboard';

function panel(id: number, title: string, expr: string, unit: string, y: number) {
  return {
    id,
    type: 'timeseries',
    title,
    gridPos: { h: 8, w: 24, x: 0, y },
    fieldConfig: { defaults: { unit }, overrides: [] },
    targets: [{ refId: 'A', expr, legendFormat: '{{app}} {{version}}' }],
  };
}

/** One dashboard of the golden signals every demo app exports (rate, success rate, p99 latency). */
export function appDashboard(platform: Platform): IConfigMap {
  const namespaces = [...new Set(platform.apps.map((a) => a.namespace))].sort().join('|');
  const sel = `kubernetes_namespace=~"${namespaces}"`;
  const dashboard = {
    title: 'meshproof apps',
    uid: 'meshproof-apps',
    schemaVersion: 39,
    time: { from: 'now-30m', to: 'now' },
    panels: [
      panel(
        1,
        'Requests per second',
        `sum by (app, version) (rate(http_request_duration_seconds_count{${sel}}[1m]))`,
        'reqps',
        0,
      ),
      panel(
        2,
        'Success rate',
        `sum by (app, version) (rate(http_request_duration_seconds_count{${sel},status!~"5.."}[1m])) / sum by (app, version) (rate(http_request_duration_seconds_count{${sel}}[1m]))`,
        'percentunit',
        8,
      ),
      panel(
        3,
        'p99 latency',
        `histogram_quantile(0.99, sum by (app, version, le) (rate(http_request_duration_seconds_bucket{${sel}}[1m])))`,
        's',
        16,
      ),
    ],
  };
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'dashboard-meshproof-apps',
      namespace: MONITORING_NAMESPACE,
      labels: { [DASHBOARD_LABEL]: '1' },
    },
    data: { 'meshproof-apps.json': `${JSON.stringify(dashboard, null, 2)}\n` },
  };
}
