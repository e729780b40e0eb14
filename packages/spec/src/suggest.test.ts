import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closest, editDistance } from './suggest.ts';

test('edit distance counts insertions, deletions and substitutions', () => {
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('same', 'same'), 0);
});

test('closest ignores candidates that are too far away', () => {
  assert.equal(closest('istio-ambiant', ['none', 'istio-ambient', 'istio-sidecar']), 'istio-ambient');
  assert.equal(closest('zzzzzz', ['none', 'linkerd']), undefined);
});
