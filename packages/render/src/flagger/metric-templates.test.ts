import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { meshPlugin } from '../meshes.ts';
import type { K8sObject } from '../model.ts';
import { podScrapeJob } from '../observability/scrape.ts';
import { NO_UPSTREAM, schemaIssues } from '../schema-check.ts';
import { registeredMeshes, renderTestCluster } from '../test-support.ts';
import { CANARY_METRICS } from './metric-templates.ts';

type Metric = { name: string; templateRef?: { name: string; namespace: string } };
type Template = K8sObject & { spec: { provider: { address: string }; query: string } };
const BUILT_INS = ['request-success-rate', 'request-duration'];

for (const mesh of registeredMeshes()) {
  describe(`canary metrics: ${mesh}`, () => {
    const { all, find, pathOf } = renderTestCluster(mesh);
    const canaries = all.filter((o) => o.kind === 'Canary');

    test('every check reads a rendered MetricTemplate, never a built-in', () => {
      assert.ok(canaries.length > 0);
      for (const c of canaries) {
        const metrics = (c as unknown as { spec: { analysis: { metrics: Metric[] } } }).spec.analysis.metrics;
        for (const m of metrics) {
          // A built-in name would also run Flagger's provider query (Istio's on gatewayapi:*).
          assert.ok(!BUILT_INS.includes(m.name), `${c.metadata?.name}: ${m.name} is a built-in name`);
          assert.ok(m.templateRef, `${c.metadata?.name}: ${m.name} has no templateRef`);
          const t = find('MetricTemplate', m.templateRef.name, m.templateRef.namespace);
          assert.match(pathOf(t), /^infrastructure\/configs\//, 'templates need the controllers layer CRDs');
        }
      }
    });

    test('queries count only canary pods and app routes, with labels the scrape job writes', () => {
      const appChecks: string[] = Object.values(CANARY_METRICS);
      const meshChecks = (meshPlugin(mesh).flagger.metrics ?? []).map((m) => m.name);
      const rendered = all.filter((o) => o.kind === 'MetricTemplate') as Template[];
      assert.deepEqual(
        rendered.map((t) => t.metadata?.name).sort(),
        [...appChecks, ...meshChecks].sort(),
        'the app checks and the mesh checks',
      );
      const templates = rendered.filter((t) => appChecks.includes(t.metadata?.name ?? ''));
      const written = new Set(podScrapeJob.relabel_configs.map((r) => r.target_label));
      for (const t of templates) {
        assert.match(t.spec.query, /path!~"\/healthz\|\/readyz\|\/metrics"/, `${t.metadata?.name}`);
        for (const label of ['kubernetes_namespace', 'kubernetes_pod_name']) {
          assert.ok(t.spec.query.includes(`${label}=`), `${t.metadata?.name} filters on ${label}`);
          assert.ok(written.has(label), `the scrape job writes ${label}`);
        }
        assert.match(t.spec.provider.address, /^http:\/\/kps-prometheus\.monitoring\.svc/);
      }
    });

    test('templates and canaries match the pinned Flagger CRD', { skip: NO_UPSTREAM }, async () => {
      const objects = all.filter((o) => o.kind === 'MetricTemplate' || o.kind === 'Canary');
      assert.deepEqual(await schemaIssues(objects), []);
    });
  });
}

describe('canary metrics: Envoy success rate on sidecars', () => {
  type Analysis = { metrics: (Metric & { thresholdRange: { min?: number; max?: number } })[] };
  const analysisOf = (c: K8sObject) => (c as unknown as { spec: { analysis: Analysis } }).spec.analysis;
  const ENVOY = 'envoy-success-rate';

  test('only istio-sidecar Canaries (provider istio) gate on it, at the spec minSuccessRate', () => {
    for (const mesh of registeredMeshes()) {
      const { all, platform } = renderTestCluster(mesh);
      const canaries = all.filter((o) => o.kind === 'Canary');
      assert.ok(canaries.length > 0, mesh);
      const withEnvoy = meshPlugin(mesh).flagger.provider === 'istio';
      assert.equal(withEnvoy, mesh === 'istio-sidecar', 'the istio provider is the sidecar mesh');
      for (const c of canaries) {
        const m = analysisOf(c).metrics.find((x) => x.name === ENVOY);
        const app = platform.apps.find((a) => a.name === c.metadata?.name);
        if (!withEnvoy) {
          assert.equal(m, undefined, `${mesh}: ${c.metadata?.name}`);
          continue;
        }
        assert.ok(m && app?.canary, `${c.metadata?.name} gates on ${ENVOY}`);
        assert.deepEqual(m.thresholdRange, { min: app.canary.minSuccessRate });
        assert.deepEqual(m.templateRef, { name: ENVOY, namespace: 'flagger-system' });
      }
      const template = all.find((o) => o.kind === 'MetricTemplate' && o.metadata?.name === ENVOY);
      assert.equal(template !== undefined, withEnvoy, `${mesh}: the template exists only with the check`);
    }
  });

  test("the query counts the canary workload's inbound requests, on labels the scrape keeps", () => {
    const { find } = renderTestCluster<Template>('istio-sidecar');
    const { query } = find('MetricTemplate', ENVOY, 'flagger-system').spec;
    const selector =
      'istio_requests_total{reporter="destination", destination_workload_namespace="{{ namespace }}", destination_workload="{{ target }}"';
    assert.equal(
      query,
      `sum(rate(${selector}, response_code!~"5.*"}[{{ interval }}])) / sum(rate(${selector}}[{{ interval }}])) * 100`,
    );
    // Envoy's labels reach Prometheus unchanged: the job neither writes nor drops them (a target
    // label of the same name would rename the metric's to exported_<name>).
    const labels = ['reporter', 'destination_workload_namespace', 'destination_workload', 'response_code'];
    const job = podScrapeJob as typeof podScrapeJob & {
      metric_relabel_configs?: unknown;
      honor_labels?: boolean;
    };
    assert.equal(job.metric_relabel_configs, undefined);
    for (const r of podScrapeJob.relabel_configs) {
      assert.ok(!labels.includes(r.target_label ?? ''), `relabel writes ${r.target_label}`);
    }
    // labelmap copies pod labels; none of the canary pods' labels maps onto Envoy's.
    const { all } = renderTestCluster('istio-sidecar');
    for (const d of all.filter((o) => o.kind === 'Deployment')) {
      const podLabels = Object.keys(
        (d as unknown as { spec: { template: { metadata: { labels: Record<string, string> } } } }).spec
          .template.metadata.labels,
      ).map((l) => l.replace(/[^a-zA-Z0-9_]/g, '_'));
      for (const l of labels) assert.ok(!podLabels.includes(l), `${d.metadata?.name} pod label ${l}`);
    }
  });
});
