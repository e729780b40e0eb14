// The ingress objects against the pinned CRDs (slow: it loads the schemas), apart from ingress.test.ts
// so the mutation target's ingress rules run without it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { K8sObject } from '../model.ts';
import { NO_UPSTREAM, schemaIssues } from '../schema-check.ts';
import { exposeApps, renderTestCluster } from '../test-support.ts';

for (const mesh of ['istio-ambient', 'istio-sidecar', 'cilium'] as const) {
  test(`${mesh}: Gateway, HTTPRoutes and allow rules validate against the pinned CRDs`, {
    skip: NO_UPSTREAM,
  }, async () => {
    const { all } = renderTestCluster<K8sObject>(mesh, exposeApps);
    const checked = all.filter((o) => o.metadata?.name?.endsWith('-ingress') || o.kind === 'Gateway');
    // Each exposed app's HTTPRoute and allow rule (three apps), and the Gateway.
    assert.ok(checked.length > 3 * 2, `${checked.length} objects`);
    assert.deepEqual(await schemaIssues(checked), []);
  });
}
