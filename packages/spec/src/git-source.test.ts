import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validSpec } from './fixture.ts';
import { validatePlatform } from './validate.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests write deliberately wrong specs.
type Loose = any;
const check = (edit: (s: Loose) => void) => {
  const spec: Loose = validSpec();
  edit(spec);
  return validatePlatform(spec);
};

test('a platform-wide git source with a credentials Secret is accepted and defaults the branch', () => {
  const result = check((s) => {
    s.git = { url: 'https://github.com/acme/platform', secretName: 'fork-token' };
  });
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  assert.deepEqual(result.platform.git, {
    url: 'https://github.com/acme/platform',
    branch: 'main',
    secretName: 'fork-token',
  });
});

test('an ssh source without a Secret is refused where it is written; bad names too', () => {
  const result = check((s) => {
    s.git = { url: 'git@github.com:acme/platform.git' };
    s.clusters[0].git = { url: 'https://github.com/acme/x', secretName: 'Not_A_Name', branch: 'a b' };
  });
  assert.equal(result.ok, false);
  const errors = result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
  assert.ok(
    errors.some((e) => e.startsWith('clusters[0].git.secretName: expected a Secret name')),
    errors.join('\n'),
  );
  assert.ok(
    errors.some((e) => e.startsWith('clusters[0].git.branch: expected a Git branch name')),
    errors.join('\n'),
  );
  const ssh = check((s) => {
    s.git = { url: 'git@github.com:acme/platform.git' };
  });
  assert.equal(ssh.ok, false);
  assert.match(
    ssh.ok ? '' : `${ssh.errors[0]?.path}: ${ssh.errors[0]?.message}`,
    /^git\.secretName: Flux reads git@github\.com:acme\/platform\.git over SSH, which needs a key/,
  );
});
