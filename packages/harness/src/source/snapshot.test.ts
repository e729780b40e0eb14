import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { snapshotCheckout } from './snapshot.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], {
    cwd,
    encoding: 'utf8',
  });

function checkout(gitignore: string) {
  const dir = mkdtempSync(join(tmpdir(), 'meshproof-snapshot-test-'));
  dirs.push(dir);
  git(dir, 'init', '-q');
  writeFileSync(join(dir, '.gitignore'), gitignore);
  writeFileSync(join(dir, 'a.txt'), 'a\n');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'c');
  // What a run has written before the snapshot step: its plan, and the folder of the served repository.
  mkdirSync(join(dir, '.e2e', 'r1', 'source'), { recursive: true });
  writeFileSync(join(dir, '.e2e', 'r1', 'plan.json'), '{}\n');
  // A benchmark run's folder from an earlier `meshproof bench` in the same checkout.
  mkdirSync(join(dir, '.bench', 'r0'), { recursive: true });
  writeFileSync(join(dir, '.bench', 'r0', 'results.json'), '{}\n');
  return dir;
}

for (const [what, gitignore] of [
  ['ignores', '.e2e/\n.bench/\n'],
  ['ignores only .e2e/ of', '.e2e/\n'],
  ['does not ignore', ''],
] as const) {
  test(`a checkout whose .gitignore ${what} .e2e/ and .bench/ is snapshotted without the run folders`, async () => {
    const dir = checkout(gitignore);
    const snap = await snapshotCheckout({
      checkout: dir,
      repo: join(dir, '.e2e', 'r1', 'source', 'c.git'),
      branch: 'main',
    });
    const files = git(
      join(dir, '.e2e', 'r1', 'source', 'c.git'),
      'ls-tree',
      '-r',
      '--name-only',
      snap.revision,
    );
    assert.deepEqual(files.trim().split('\n').sort(), ['.gitignore', 'a.txt']);
  });
}
