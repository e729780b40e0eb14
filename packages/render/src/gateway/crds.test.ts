import assert from 'node:assert/strict';
import { test } from 'node:test';
import { objectsOf, registeredMeshes, renderTestCluster } from '../test-support.ts';

type Spec = { interval: string; retryInterval?: string; wait?: boolean };
const minutes = (d: string) => {
  const m = /^(\d+)(m|h)$/.exec(d);
  assert.ok(m, `unexpected duration ${d}`);
  return Number(m[1]) * (m[2] === 'h' ? 60 : 1);
};

test('every waited-on Flux Kustomization retries a failure well before its next interval', () => {
  for (const mesh of registeredMeshes()) {
    const { tree } = renderTestCluster(mesh);
    const waited = objectsOf(tree)
      .map(({ object }) => object)
      .filter((o) => o.kind === 'Kustomization' && o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io'))
      .filter((o) => (o as unknown as { spec: Spec }).spec.wait);
    assert.ok(
      waited.some((o) => o.metadata?.name === 'gateway-api-crds'),
      mesh,
    );
    for (const o of waited) {
      const { interval, retryInterval } = (o as unknown as { spec: Spec }).spec;
      assert.ok(retryInterval, `${mesh}: ${o.metadata?.name} has no retryInterval (defaults to ${interval})`);
      assert.ok(minutes(retryInterval) < minutes(interval), `${mesh}: ${o.metadata?.name}`);
    }
  }
});
