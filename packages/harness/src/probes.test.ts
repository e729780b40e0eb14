import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validatePlatform } from '@meshproof/spec';
import { validSpec } from '../../spec/src/fixture.ts';
import { OUTSIDER, probeMatrix } from './probes.ts';

function platform(edit: (spec: ReturnType<typeof validSpec>) => void = () => {}) {
  const spec = validSpec();
  edit(spec);
  const result = validatePlatform(spec);
  assert.ok(result.ok);
  return result.platform;
}

const key = (p: { from: string; to: string; method: string; expect: string }) =>
  `${p.from}>${p.to} ${p.method} ${p.expect}`;

test('every call is an allow probe, everything else a deny probe under default deny', () => {
  const p = platform();
  const ambient = p.clusters.find((c) => c.mesh === 'istio-ambient');
  assert.ok(ambient);
  assert.deepEqual(probeMatrix(p, ambient).map(key).sort(), [
    'backend>frontend GET deny',
    'frontend>backend GET allow',
    'frontend>backend POST deny',
    `${OUTSIDER}>backend GET deny`,
    `${OUTSIDER}>frontend GET deny`,
  ]);
});

test('method limits are not probed where only NetworkPolicies enforce (L4)', () => {
  const p = platform();
  const baseline = p.clusters.find((c) => c.mesh === 'none');
  assert.ok(baseline);
  assert.ok(!probeMatrix(p, baseline).some((probe) => probe.method === 'POST'));
});

test('without default deny only the calls are probed', () => {
  const p = platform((s) => {
    s.security = { defaultDeny: false };
  });
  const cluster = p.clusters[0];
  assert.ok(cluster);
  assert.deepEqual(probeMatrix(p, cluster).map(key), ['frontend>backend GET allow']);
});
