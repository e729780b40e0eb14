import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { diffDir, isClean, replaceDir } from './write.ts';

const tempDir = () => mkdtemp(join(tmpdir(), 'meshproof-write-'));

test('replaceDir writes exactly the given files and removes stale ones', async () => {
  const root = await tempDir();
  const target = join(root, 'clusters');
  await replaceDir(target, new Map([['a/old.yaml', 'old\n']]));
  await replaceDir(
    target,
    new Map([
      ['a/new.yaml', 'new\n'],
      ['b/c/d.yaml', 'd\n'],
    ]),
  );
  assert.equal(await readFile(join(target, 'a/new.yaml'), 'utf8'), 'new\n');
  assert.deepEqual((await readdir(join(target, 'a'))).sort(), ['new.yaml']);
  assert.deepEqual(await readdir(root), ['clusters'], 'no staging folders left behind');
  await rm(root, { recursive: true });
});

test('a failed write leaves the existing target untouched', async () => {
  const root = await tempDir();
  const target = join(root, 'clusters');
  await replaceDir(target, new Map([['keep.yaml', 'keep\n']]));
  // A NUL byte in a path makes the write fail half-way through the staging folder.
  const bad = new Map([
    ['first.yaml', 'x\n'],
    ['bad\u0000.yaml', 'y\n'],
  ]);
  await assert.rejects(replaceDir(target, bad));
  assert.equal(await readFile(join(target, 'keep.yaml'), 'utf8'), 'keep\n');
  assert.deepEqual(await readdir(root), ['clusters']);
  await rm(root, { recursive: true });
});

test('diffDir reports drifted, missing and extra files', async () => {
  const root = await tempDir();
  const want = new Map([
    ['same.yaml', 's\n'],
    ['changed.yaml', 'new\n'],
    ['gone.yaml', 'g\n'],
  ]);
  await replaceDir(
    root,
    new Map([
      ['same.yaml', 's\n'],
      ['changed.yaml', 'old\n'],
      ['x/extra.yaml', 'e\n'],
    ]),
  );
  const drift = await diffDir(root, want);
  assert.deepEqual(drift, { drifted: ['changed.yaml'], missing: ['gone.yaml'], extra: ['x/extra.yaml'] });
  assert.ok(!isClean(drift));
  await writeFile(join(root, 'changed.yaml'), 'new\n');
  await writeFile(join(root, 'gone.yaml'), 'g\n');
  await rm(join(root, 'x'), { recursive: true });
  assert.ok(isClean(await diffDir(root, want)));
  await rm(root, { recursive: true });
});
