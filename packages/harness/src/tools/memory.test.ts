import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validatePlatform } from '@meshproof/spec';
import { validSpec } from '../../../spec/src/fixture.ts';
import { estimateClusterMemory, HEADROOM } from './memory.ts';

const platform = (() => {
  const result = validatePlatform(validSpec());
  assert.ok(result.ok);
  return result.platform;
})();
const cluster = (name: string) => platform.clusters.find((c) => c.name === name) ?? assert.fail(name);

test('the estimate is the sum of its parts plus headroom, each part with its basis', () => {
  for (const c of platform.clusters) {
    const estimate = estimateClusterMemory(platform, c);
    const sum = estimate.parts.reduce((total, p) => total + p.mib, 0);
    assert.equal(estimate.totalMiB, Math.ceil(sum * (1 + HEADROOM)));
    for (const part of estimate.parts) assert.ok(part.mib >= 0 && part.basis.length > 0, part.what);
  }
});

test('the mesh, the nodes and the apps of the spec each move the figure', () => {
  const baseline = estimateClusterMemory(platform, cluster('kind-baseline'));
  const ambient = estimateClusterMemory(platform, cluster('kind-istio-ambient'));
  assert.ok(ambient.totalMiB > baseline.totalMiB);
  assert.ok(ambient.parts.some((p) => p.what === 'ztunnel ×3 nodes' && p.mib === 3 * 512));
  // frontend: 1 version × 2 replicas; backend: (2 versions + primary) × 2 replicas; 128Mi each.
  assert.deepEqual(
    baseline.parts.find((p) => p.what.startsWith('demo apps')),
    { what: 'demo apps ×8 pods', mib: 8 * 128, basis: "each app's memory request in the spec" },
  );
  const moreWorkers = {
    ...cluster('kind-baseline'),
    nodes: { workers: [...cluster('kind-baseline').nodes.workers, { role: 'general' as const, labels: {} }] },
  };
  assert.ok(estimateClusterMemory(platform, moreWorkers).totalMiB > baseline.totalMiB);
});
