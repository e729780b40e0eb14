import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testSpec } from '../test-support.ts';
import { fluxGitUrl, PLACEHOLDER_URL, syncComment, syncObjects } from './sync.ts';

const cluster = (git?: { url: string; branch?: string }) => {
  const platform = testSpec(['none'], (s) => {
    s.clusters = [{ name: 'c1', mesh: 'none', ...(git ? { git } : {}) }];
  });
  const c = platform.clusters[0];
  assert.ok(c);
  return c;
};

const spec = (o: object) => (o as { spec: Record<string, unknown> }).spec;

test("the sync template points at the spec's git url and branch, and the root Kustomization at flux/", () => {
  const [source, root] = syncObjects(cluster({ url: 'https://github.com/acme/platform', branch: 'prod' }));
  assert.ok(source && root);
  assert.equal(spec(source).url, 'https://github.com/acme/platform');
  assert.deepEqual(spec(source).ref, { branch: 'prod' });
  assert.equal(spec(root).path, './clusters/c1/flux');
});

test('scp-style git@ URLs become ssh:// (Flux accepts only http(s) and ssh schemes)', () => {
  assert.equal(fluxGitUrl('git@github.com:acme/platform.git'), 'ssh://git@github.com/acme/platform.git');
  assert.equal(fluxGitUrl('ssh://git@host/x'), 'ssh://git@host/x');
});

test('without a git url the template says so and uses an obvious placeholder', () => {
  const c = cluster();
  assert.equal(spec(syncObjects(c)[0] ?? {}).url, PLACEHOLDER_URL);
  assert.match(syncComment(c), /no git url in the spec/);
});
