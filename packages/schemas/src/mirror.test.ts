import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { after, test } from 'node:test';
import { defaultCacheDir, findMirror, findRepoRoot, MIRROR_ENV } from './mirror.ts';

const work = mkdtempSync(join(tmpdir(), 'meshproof-mirror-'));
after(() => rmSync(work, { recursive: true, force: true }));
const dir = (...parts: string[]) => {
  const p = join(work, ...parts);
  mkdirSync(p, { recursive: true });
  return p;
};

test('the repository root is the nearest folder with pnpm-workspace.yaml or .git', () => {
  const byWorkspace = dir('a', 'repo');
  writeFileSync(join(byWorkspace, 'pnpm-workspace.yaml'), '');
  assert.equal(findRepoRoot(dir('a', 'repo', 'packages', 'x', 'src')), byWorkspace);
  assert.equal(findRepoRoot(byWorkspace), byWorkspace);
  const byGit = dir('b', 'clone');
  dir('b', 'clone', '.git');
  assert.equal(findRepoRoot(dir('b', 'clone', 'packages')), byGit);
});

test('without any marker up to the file system root, the start folder itself', (t) => {
  const start = dir('c', 'loose');
  const ancestors = work.split(sep).map((_, i, parts) => parts.slice(0, i + 1).join(sep) || sep);
  if (ancestors.some((a) => existsSync(join(a, '.git')) || existsSync(join(a, 'pnpm-workspace.yaml'))))
    return t.skip('the temporary folder lies inside a repository');
  assert.equal(findRepoRoot(start), start);
});

test('the mirror: the environment variable first, only when it names a folder', () => {
  const mirror = dir('env-mirror');
  const repo = dir('d', 'repo');
  assert.equal(findMirror(repo, { [MIRROR_ENV]: mirror }), mirror);
  assert.equal(findMirror(repo, { [MIRROR_ENV]: join(work, 'nope') }), undefined);
  const file = join(work, 'a-file');
  writeFileSync(file, '');
  assert.equal(findMirror(repo, { [MIRROR_ENV]: file }), undefined);
  // A relative value is resolved.
  const relative = join('.', 'env-mirror');
  const cwd = process.cwd();
  process.chdir(work);
  try {
    assert.equal(findMirror(repo, { [MIRROR_ENV]: relative }), mirror);
  } finally {
    process.chdir(cwd);
  }
});

test('the mirror: otherwise ../shared/upstream beside the repository, when it is a folder', () => {
  const repo = dir('e', 'repo');
  assert.equal(findMirror(repo, {}), undefined);
  writeFileSync(join(dir('e', 'shared'), 'upstream'), '');
  assert.equal(findMirror(repo, {}), undefined, 'a file is not a mirror');
  const repo2 = dir('f', 'repo');
  const sibling = dir('f', 'shared', 'upstream');
  assert.equal(findMirror(repo2, {}), sibling);
  assert.equal(findMirror(repo2, { [MIRROR_ENV]: '' }), sibling, 'an empty variable is unset');
});

test('the cache lives in .cache/schemas of the repository', () => {
  assert.equal(defaultCacheDir('/r'), join('/r', '.cache', 'schemas'));
});
