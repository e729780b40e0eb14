import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { testSpec } from '../test-support.ts';
import { kindConfig, ROLE_LABEL } from './cluster-config.ts';

const cluster = () => {
  const c = testSpec(['none'], (s) => {
    s.clusters = [
      {
        name: 'k1',
        mesh: 'none',
        nodes: { workers: [{ role: 'server', labels: { zone: 'a' } }, { role: 'load' }] },
      },
    ];
  }).clusters[0];
  assert.ok(c);
  return c;
};

type Node = { role: string; image: string; labels?: Record<string, string> };

test('one control plane plus the spec workers, labelled by role, every node pinned by digest', () => {
  const text = kindConfig(cluster());
  const config = parse(text) as { name: string; nodes: Node[]; networking?: unknown };
  assert.equal(config.name, 'k1');
  assert.deepEqual(
    config.nodes.map((n) => [n.role, n.labels]),
    [
      ['control-plane', undefined],
      ['worker', { zone: 'a', [ROLE_LABEL]: 'server' }],
      ['worker', { [ROLE_LABEL]: 'load' }],
    ],
  );
  for (const n of config.nodes) assert.match(n.image, /^kindest\/node:v1\.35\.\d+@sha256:[a-f0-9]{64}$/);
  assert.equal(config.networking, undefined);
  assert.match(text, /fs\.inotify\.max_user_watches=524288/, 'the inotify advice is in a comment');
});

test("a mesh's networking settings land in the config", () => {
  const config = parse(kindConfig(cluster(), { disableDefaultCNI: true })) as { networking: unknown };
  assert.deepEqual(config.networking, { disableDefaultCNI: true });
});
