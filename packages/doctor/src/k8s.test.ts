import assert from 'node:assert/strict';
import { test } from 'node:test';
import { imageTag } from './checks/workload.ts';
import { matchSelector } from './k8s.ts';

test('label selectors follow metav1.LabelSelector semantics', () => {
  const labels = { app: 'web', tier: 'front' };
  assert.equal(matchSelector({}, labels), true);
  assert.equal(matchSelector({ matchLabels: { app: 'web' } }, labels), true);
  assert.equal(matchSelector({ matchLabels: { app: 'api' } }, labels), false);
  assert.equal(
    matchSelector({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] }, labels),
    true,
  );
  assert.equal(
    matchSelector({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, labels),
    false,
  );
  assert.equal(
    matchSelector({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, labels),
    true,
  );
  assert.equal(matchSelector({ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, labels), false);
  assert.equal(matchSelector({ matchExpressions: [{ key: 'app', operator: 'Bogus' }] }, labels), false);
});

test('image tags: registry ports are not tags, digests pin', () => {
  assert.equal(imageTag('nginx'), '');
  assert.equal(imageTag('localhost:5000/nginx'), '');
  assert.equal(imageTag('localhost:5000/nginx:1.27'), '1.27');
  assert.equal(imageTag('ghcr.io/a/b:latest'), 'latest');
  assert.equal(imageTag('ghcr.io/a/b@sha256:abc'), undefined);
});
