// A render into a read-only folder, on a real read-only mount: root ignores permission bits, so a
// chmod would prove nothing here. Skipped where this process may not mount (CI runners as a user).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, type TestContext, test } from 'node:test';
import { RenderWriteError, replaceDir } from './write.ts';

const sh = (...args: string[]) => spawnSync(args[0] as string, args.slice(1), { encoding: 'utf8' });

let root = '';
let mounted = false;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'meshproof-ro-'));
  await replaceDir(join(root, 'clusters'), new Map([['kind-a/kind.yaml', 'old\n']]));
  const ro = join(root, 'clusters');
  mounted =
    sh('mount', '--bind', ro, ro).status === 0 && sh('mount', '-o', 'remount,bind,ro', ro).status === 0;
  if (!mounted) sh('umount', ro);
});
after(async () => {
  if (mounted) sh('umount', join(root, 'clusters'));
  await rm(root, { recursive: true, force: true });
});

describe('render into a read-only folder', () => {
  const cannotMount = (t: TestContext) => {
    if (!mounted) t.skip('cannot bind-mount a read-only folder here (needs root)');
    return !mounted;
  };

  test('replacing the read-only folder itself names it and the cause, and leaves no staging', async (t) => {
    if (cannotMount(t)) return;
    const target = join(root, 'clusters');
    await assert.rejects(
      replaceDir(target, new Map([['kind-a/kind.yaml', 'new\n']])),
      (e: Error) =>
        e instanceof RenderWriteError && e.message === `cannot write ${target}: read-only file system`,
    );
    assert.deepEqual(await readdir(root), ['clusters'], 'no staging or previous folder left');
    assert.equal(await readFile(join(target, 'kind-a/kind.yaml'), 'utf8'), 'old\n');
  });

  test('a new folder inside the read-only mount names the mount and the cause', async (t) => {
    if (cannotMount(t)) return;
    const target = join(root, 'clusters', 'new', 'deeper');
    await assert.rejects(
      replaceDir(target, new Map([['x.yaml', 'x\n']])),
      (e: Error) => e.message === `cannot write ${join(root, 'clusters')}: read-only file system`,
    );
    assert.deepEqual(await readdir(join(root, 'clusters')), ['kind-a']);
  });
});

test('a mount point on a writable file system cannot be swapped: the message says so and staging goes', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'meshproof-mnt-'));
  const target = join(dir, 'clusters');
  await mkdir(target);
  if (sh('mount', '--bind', target, target).status !== 0) {
    await rm(dir, { recursive: true });
    t.skip('cannot bind-mount here (needs root)');
    return;
  }
  try {
    await assert.rejects(replaceDir(target, new Map([['a.yaml', 'a\n']])), (e: Error) =>
      e.message.startsWith(`cannot replace ${target}: it is a mount point`),
    );
    assert.deepEqual(await readdir(dir), ['clusters']);
  } finally {
    sh('umount', target);
    await rm(dir, { recursive: true, force: true });
  }
});
