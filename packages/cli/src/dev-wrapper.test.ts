// The real ./dev script: its own options and exit codes, and the project's commands through it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dev = (...args: string[]) =>
  spawnSync(join(root, 'dev'), args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, MESHPROOF_DEV_QUIET: '1' },
  });

test('./dev --help and -h print the wrapper usage on stdout, exit 0', () => {
  for (const flag of ['--help', '-h']) {
    const r = dev(flag);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Usage: \.\/dev <command>/);
    assert.match(r.stdout, /\.\/dev meshproof <command>/);
    assert.equal(r.stderr, '');
  }
});

test('./dev --version prints one line: the project version', () => {
  const r = dev('--version');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^meshproof \d+\.\d+\.\d+\n$/);
});

test('./dev with an unknown command names it and exits 2; with no command prints usage, exit 2', () => {
  const r = dev('frobnicate');
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^dev: unknown command "frobnicate": .*see \.\/dev --help/);
  const none = dev();
  assert.equal(none.status, 2);
  assert.match(none.stderr, /^Usage: \.\/dev/);
});

test('./dev meshproof runs the CLI and passes its exit code through', () => {
  const help = dev('meshproof', '--help');
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /^Usage: meshproof <command>/);
  const bad = dev('meshproof', 'frobnicate');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /meshproof: unknown command "frobnicate"/);
});

test('./dev passes pnpm commands and workspace binaries on to pnpm', () => {
  const r = dev('tsc', '--version');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Version \d+\./);
});
