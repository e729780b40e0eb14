import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { K8sObject } from '../model.ts';
import { renderCluster } from '../render-cluster.ts';
import { ofKind, testSpec } from '../test-support.ts';
import { otlpEndpoint, prometheusUrl } from './endpoints.ts';

type Obj = K8sObject & { spec: Record<string, unknown>; data?: Record<string, string> };

function render(observability: Record<string, boolean>) {
  const platform = testSpec(['none'], (s) => {
    s.observability = observability;
  });
  const cluster = platform.clusters[0];
  assert.ok(cluster);
  const tree = renderCluster(platform, cluster);
  return (kind: string) => ofKind(tree, kind).map(({ object }) => object as Obj);
}

test('each toggle adds exactly its HelmReleases in the monitoring namespace', () => {
  const names = (o: Record<string, boolean>) =>
    render(o)('HelmRelease')
      .filter((r) => r.metadata?.namespace === 'monitoring')
      .map((r) => r.metadata?.name)
      .sort();
  assert.deepEqual(names({ prometheus: true }), ['kube-prometheus-stack']);
  assert.deepEqual(names({ prometheus: true, tracing: true, logs: true }), [
    'jaeger',
    'kube-prometheus-stack',
    'loki',
    'otel-collector',
  ]);
});

test('Prometheus scrapes annotated pods with the labels Flagger queries, and Flagger reads that Prometheus', () => {
  const all = render({ prometheus: true });
  const kps = all('HelmRelease').find((r) => r.metadata?.name === 'kube-prometheus-stack');
  const job = JSON.stringify(kps?.spec.values);
  assert.match(job, /prometheus_io_scrape/);
  assert.match(job, /"target_label":"kubernetes_namespace"/);
  assert.match(job, /"target_label":"kubernetes_pod_name"/);
  const flagger = all('HelmRelease').find((r) => r.metadata?.name === 'flagger');
  assert.ok(flagger);
  assert.equal((flagger.spec.values as { metricsServer: string }).metricsServer, prometheusUrl);
});

test('Grafana gets the apps dashboard as a labelled ConfigMap of valid JSON', () => {
  const maps = render({ prometheus: true, grafana: true })('ConfigMap');
  const dashboard = maps.find((m) => m.metadata?.labels?.grafana_dashboard === '1');
  assert.ok(dashboard?.data);
  const json = JSON.parse(Object.values(dashboard.data)[0] ?? '') as {
    panels: { targets: { expr: string }[] }[];
  };
  assert.ok(json.panels.every((p) => p.targets[0]?.expr.includes('http_request_duration_seconds')));
  assert.equal(render({ prometheus: true })('ConfigMap').length, 0, 'no dashboard without Grafana');
});

test('tracing points every app at the collector; without it no OTLP endpoint is set', () => {
  const env = (o: Record<string, boolean>) => JSON.stringify(render(o)('Deployment').map((d) => d.spec));
  assert.ok(env({ prometheus: true, tracing: true }).includes(otlpEndpoint));
  assert.ok(!env({ prometheus: true }).includes('OTEL_EXPORTER_OTLP_ENDPOINT'));
});

test("Grafana never ships the stack's well-known default admin password", () => {
  const kps = render({ prometheus: true, grafana: true })('HelmRelease').find(
    (r) => r.metadata?.name === 'kube-prometheus-stack',
  );
  assert.ok(kps);
  const grafana = (kps.spec.values as { grafana: { enabled: boolean; adminPassword?: string } }).grafana;
  assert.equal(grafana.enabled, true);
  // Empty: the grafana chart then generates a random password into its Secret.
  assert.equal(grafana.adminPassword, '');
});
