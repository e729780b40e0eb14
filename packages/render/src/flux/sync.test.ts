import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PlatformInput } from '@meshproof/spec';
import { renderCluster } from '../render-cluster.ts';
import { testSpec } from '../test-support.ts';
import { fluxGitUrl, PLACEHOLDER_URL, syncComment, syncObjects } from './sync.ts';

type Git = NonNullable<PlatformInput['git']>;

const platformWith = (git?: { cluster?: Git; platform?: Git }) => {
  const platform = testSpec(['none'], (s) => {
    s.clusters = [{ name: 'c1', mesh: 'none', ...(git?.cluster ? { git: git.cluster } : {}) }];
    if (git?.platform) s.git = git.platform;
  });
  const cluster = platform.clusters[0];
  assert.ok(cluster);
  return { platform, cluster };
};

const spec = (o: object) => (o as { spec: Record<string, unknown> }).spec;

test("the sync objects point at the spec's git url and branch, and the root Kustomization at flux/", () => {
  const { platform, cluster } = platformWith({
    cluster: { url: 'https://github.com/acme/platform', branch: 'prod' },
  });
  const [source, root] = syncObjects(platform, cluster);
  assert.ok(source && root);
  assert.equal(spec(source).url, 'https://github.com/acme/platform');
  assert.deepEqual(spec(source).ref, { branch: 'prod' });
  assert.equal(spec(source).secretRef, undefined, 'a public repository needs no Secret');
  assert.equal(spec(root).path, './clusters/c1/flux');
});

test('a private fork: the platform-wide git source with a credentials Secret reaches every cluster', () => {
  const { platform, cluster } = platformWith({
    platform: { url: 'git@github.com:acme/platform.git', branch: 'main', secretName: 'fork-deploy-key' },
  });
  const [source] = syncObjects(platform, cluster);
  assert.ok(source);
  assert.equal(spec(source).url, 'ssh://git@github.com/acme/platform.git');
  assert.deepEqual(spec(source).secretRef, { name: 'fork-deploy-key' });
  assert.match(syncComment(platform, cluster), /create the Secret flux-system\/fork-deploy-key/);
  // Rendered into sync/, with the instructions in the header pointing at the spec, never at this file.
  const file = renderCluster(platform, cluster).get('sync/sync.yaml') ?? '';
  assert.match(file, /secretRef:\n\s+name: fork-deploy-key/);
  assert.doesNotMatch(file, /replace|edit this/i);
});

test("a cluster's own git source wins over the platform-wide one", () => {
  const { platform, cluster } = platformWith({
    platform: { url: 'https://github.com/acme/platform', branch: 'main' },
    cluster: { url: 'https://github.com/acme/staging', branch: 'staging', secretName: 'staging-token' },
  });
  const [source] = syncObjects(platform, cluster);
  assert.equal(spec(source ?? {}).url, 'https://github.com/acme/staging');
  assert.deepEqual(spec(source ?? {}).secretRef, { name: 'staging-token' });
});

test('scp-style git@ URLs become ssh:// (Flux accepts only http(s) and ssh schemes)', () => {
  assert.equal(fluxGitUrl('git@github.com:acme/platform.git'), 'ssh://git@github.com/acme/platform.git');
  assert.equal(fluxGitUrl('ssh://git@host/x'), 'ssh://git@host/x');
});

test('without a git source the comment sends the user to the spec, not to edit the file', () => {
  const { platform, cluster } = platformWith();
  assert.equal(spec(syncObjects(platform, cluster)[0] ?? {}).url, PLACEHOLDER_URL);
  const comment = syncComment(platform, cluster);
  assert.match(comment, /set git \(or clusters\[\]\.git\) in meshproof\.config\.ts/);
  assert.doesNotMatch(comment, /replace/);
});
