// The source executors as the engine calls them: JSON args, paths relative to the checkout.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { TaskContext } from '../registry.ts';
import type { Evidence, Json } from '../step.ts';
import { hostExec } from './exec.ts';
import { SOURCE_TASKS } from './tasks.ts';

const scratch: string[] = [];
after(() => Promise.all(scratch.map((d) => rm(d, { recursive: true, force: true }))));

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

async function checkout(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'meshproof-source-tasks-'));
  scratch.push(dir);
  git(dir, 'init', '--quiet');
  await writeFile(join(dir, 'a.txt'), 'a\n');
  return dir;
}

function context(root: string) {
  const evidence: Evidence[] = [];
  const ctx = {
    root,
    runDir: join(root, '.e2e', 'r1'),
    signal: new AbortController().signal,
    log: () => {},
    evidence: (e: Evidence) => evidence.push(e),
    exec: hostExec({ cwd: root }),
  } as unknown as TaskContext;
  return { ctx, evidence };
}

const run = (name: string, args: { [key: string]: Json }, ctx: TaskContext) =>
  (SOURCE_TASKS[name] as NonNullable<(typeof SOURCE_TASKS)[string]>)(args, ctx);

test('source-snapshot publishes one commit to every cluster repository, each on its own branch', async () => {
  const root = await checkout(); // no commit yet: the snapshot still works
  const { ctx, evidence } = context(root);
  const repos = [
    { path: '.e2e/r1/source/a.git', branch: 'main' },
    { path: '.e2e/r1/source/b.git', branch: 'prod' },
  ];
  await run('source-snapshot', { repos }, ctx);
  const [a, b] = repos.map((r) => join(root, r.path));
  const revision = git(a as string, 'rev-parse', 'refs/heads/main');
  assert.equal(git(b as string, 'rev-parse', 'refs/heads/prod'), revision);
  assert.equal(git(b as string, 'symbolic-ref', 'HEAD'), 'refs/heads/prod');
  assert.equal(git(b as string, 'for-each-ref', '--format=%(refname)'), 'refs/heads/prod');
  assert.equal(git(b as string, 'show', 'prod:a.txt'), 'a');
  // The served repositories sit in .e2e/ of this checkout, which has no .gitignore: still left out.
  assert.equal(git(b as string, 'ls-tree', '-r', '--name-only', 'prod'), 'a.txt');
  assert.equal(evidence[0]?.type, 'source-snapshot');
  assert.equal(evidence[0]?.revision, revision);
  assert.equal(evidence[0]?.base, null);
  // A second run into the same folders refuses instead of mixing two snapshots.
  await assert.rejects(run('source-snapshot', { repos }, ctx), /already exists/);
});

test('source tasks refuse bad args and paths outside the checkout', async () => {
  const { ctx } = context(await checkout());
  await assert.rejects(run('source-snapshot', { repos: [] }, ctx), /args\.repos is empty/);
  await assert.rejects(
    run('source-snapshot', { repos: ['x'] }, ctx),
    /args\.repos\[0\] must be \{ path, branch \}/,
  );
  await assert.rejects(
    run('source-snapshot', { repos: [{ path: '../elsewhere.git', branch: 'main' }] }, ctx),
    /"\.\.\/elsewhere\.git" must be a path inside the repository/,
  );
  await assert.rejects(run('source-start', { name: 'x' }, ctx), /args\.network must be a non-empty string/);
  await assert.rejects(stat(join(ctx.root, '.e2e')), /ENOENT/, 'nothing written');
});
