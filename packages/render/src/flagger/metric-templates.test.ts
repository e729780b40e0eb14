import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { K8sObject } from '../model.ts';
import { podScrapeJob } from '../observability/scrape.ts';
import { NO_UPSTREAM, schemaIssues } from '../schema-check.ts';
import { registeredMeshes, renderTestCluster } from '../test-support.ts';

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
      const templates = all.filter((o) => o.kind === 'MetricTemplate') as Template[];
      assert.equal(templates.length, 2);
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
