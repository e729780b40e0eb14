import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { loadPlatform } from '@meshproof/spec';
import { parseAllDocuments } from 'yaml';
import { canaryReleases, changedFiles } from './rollout-change.ts';

const ROOT = new URL('../../../../', import.meta.url);
const loaded = await loadPlatform(new URL('meshproof.config.ts', ROOT).pathname);
assert.ok(loaded.ok);
const platform = loaded.platform;

const deploymentOf = (text: string) =>
  parseAllDocuments(text)
    .map((d) => d.toJS())
    .find((o) => o?.kind === 'Deployment' && o.metadata.name === 'backend');

test('every cluster: the promotion changes only the backend pod template, to v2', () => {
  const { promote } = canaryReleases(platform, 'backend');
  assert.deepEqual(promote.release, { version: 'v2', previous: 'v1' });
  for (const cluster of platform.clusters) {
    const files = changedFiles(platform, promote.spec, cluster.name);
    const path = `clusters/${cluster.name}/apps/shop/backend.yaml`;
    assert.deepEqual(Object.keys(files), [path], cluster.name);
    // The starting point is the committed render: what the run's source serves.
    const before = deploymentOf(readFileSync(new URL(path, ROOT), 'utf8'));
    const after = deploymentOf(files[path] as string);
    const env = (d: typeof before) => d.spec.template.spec.containers[0].env;
    assert.deepEqual(
      env(before).find((e: { name: string }) => e.name === 'VERSION'),
      { name: 'VERSION', value: 'v1' },
    );
    assert.deepEqual(
      env(after).find((e: { name: string }) => e.name === 'VERSION'),
      { name: 'VERSION', value: 'v2' },
    );
    assert.equal(after.spec.template.metadata.labels.version, 'v2');
    assert.deepEqual(after.spec.selector, before.spec.selector);
  }
});

test('the rollback release: v2-faulty with FAULT_ERROR_RATE=0.5 on top of the promoted spec', () => {
  const { promote, rollback } = canaryReleases(platform, 'backend');
  assert.deepEqual(rollback.release, {
    version: 'v2-faulty',
    previous: 'v2',
    faults: { errorRate: 0.5, delayMs: 0, delayRate: 0 },
  });
  const files = changedFiles(promote.spec, rollback.spec, 'kind-linkerd');
  const d = deploymentOf(files['clusters/kind-linkerd/apps/shop/backend.yaml'] as string);
  const env = Object.fromEntries(
    d.spec.template.spec.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]),
  );
  assert.equal(env.VERSION, 'v2-faulty');
  assert.equal(env.FAULT_ERROR_RATE, '0.5');
});

test('an app without a next version or a spec the release breaks is refused with a reason', () => {
  assert.throws(() => canaryReleases(platform, 'nope'), /no app named nope/);
  assert.throws(
    () => canaryReleases(platform, 'frontend'),
    /frontend has no version with weight 0 to roll out next/,
  );
});
