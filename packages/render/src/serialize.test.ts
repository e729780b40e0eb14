import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonical, serializeObjects } from './serialize.ts';

test('canonical puts apiVersion/kind/metadata first and sorts the other keys, keeping array order', () => {
  const out = canonical({
    spec: { z: 1, a: [3, 1, 2] },
    metadata: { labels: {}, name: 'x' },
    kind: 'K',
    apiVersion: 'v1',
  });
  assert.deepEqual(Object.keys(out as object), ['apiVersion', 'kind', 'metadata', 'spec']);
  assert.deepEqual(Object.keys((out as { metadata: object }).metadata), ['name', 'labels']);
  assert.deepEqual((out as { spec: { a: number[] } }).spec.a, [3, 1, 2]);
});

test('the same objects built in a different order serialize to identical bytes', () => {
  const a = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'a', namespace: 'n' },
    spec: { b: 1, a: 2 },
  };
  const b = { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'n' } };
  const reordered = {
    spec: { a: 2, b: 1 },
    metadata: { namespace: 'n', name: 'a' },
    kind: 'Service',
    apiVersion: 'v1',
  };
  const first = serializeObjects([a, b]);
  assert.equal(serializeObjects([b, reordered]), first);
  assert.ok(first.indexOf('kind: Namespace') < first.indexOf('kind: Service'), 'Namespace sorts first');
});

test('undefined fields are left out rather than written as null', () => {
  const text = serializeObjects([
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: undefined } },
  ]);
  assert.doesNotMatch(text, /namespace|null/);
});
