import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { taskRegistry } from '../registry.ts';
import { type Plan, run, type Step, step, task } from '../step.ts';
import { runPlan } from './engine.ts';
import { runPassed } from './record.ts';
import { createReporter } from './reporter.ts';

const roots: string[] = [];
after(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});
const tempRoot = () => {
  const r = mkdtempSync(join(tmpdir(), 'meshproof-engine-'));
  roots.push(r);
  return r;
};

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// A killed process may stay a zombie for a moment until init reaps it.
async function gone(pid: number) {
  for (let i = 0; i < 40 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return !alive(pid);
}

const cluster = (name: string) => ({
  name,
  mesh: 'none',
  target: { kubeconfig: null, context: name },
  existing: false,
  probes: [],
});

const node = (code: string) => run(['node', '-e', code]);
const touch = (file: string) => node(`require('fs').writeFileSync(${JSON.stringify(file)}, '')`);

function plan(steps: Step[], clusters = ['c1', 'c2']): Plan {
  return { runId: 't', runDir: 'run', clusters: clusters.map(cluster), steps };
}

async function execute(p: Plan, root: string, extra: { tasks?: Parameters<typeof taskRegistry>[0] } = {}) {
  let out = '';
  const record = await runPlan(p, {
    root,
    tasks: taskRegistry(extra.tasks ?? {}),
    kube: async () => {
      throw new Error('no kube action in these tests');
    },
    reporter: createReporter({ write: (s: string) => (out += s) }, false),
    interrupt: new AbortController().signal,
    graceMs: 300,
  });
  return { record, out, status: Object.fromEntries(record.steps.map((s) => [s.id, s.status])) };
}

test('a failure stops its cluster only; diagnostics run for it; cleanup runs for every started cluster', async () => {
  const root = tempRoot();
  const s = (id: string, actions: Step['actions'], more: Partial<Step> = {}) =>
    step({ id, cluster: id.split('/')[0] as string, title: id, timeoutMs: 10_000, actions, ...more });
  const { status, record, out } = await execute(
    plan([
      s('c1/a', [touch('c1-a')]),
      s('c1/b', [node('console.error("boom on stderr"); process.exit(3)')]),
      s('c1/c', [touch('c1-c')]),
      s('c1/diag', [touch('c1-diag')], { when: 'failed', onFailure: 'continue' }),
      s('c1/clean', [touch('c1-clean')], { when: 'always' }),
      s('c2/a', [touch('c2-a')]),
      s('c2/diag', [touch('c2-diag')], { when: 'failed' }),
      s('c2/clean', [touch('c2-clean')], { when: 'always' }),
    ]),
    root,
  );
  assert.deepEqual(status, {
    'c1/a': 'passed',
    'c1/b': 'failed',
    'c1/c': 'skipped',
    'c1/diag': 'passed',
    'c1/clean': 'passed',
    'c2/a': 'passed',
    'c2/diag': 'skipped',
    'c2/clean': 'passed',
  });
  for (const f of ['c1-a', 'c1-diag', 'c1-clean', 'c2-a', 'c2-clean'])
    assert.ok(existsSync(join(root, f)), f);
  for (const f of ['c1-c', 'c2-diag']) assert.ok(!existsSync(join(root, f)), f);
  const failed = record.steps.find((r) => r.id === 'c1/b');
  assert.match(failed?.reason ?? '', /exited 3: boom on stderr/);
  assert.match(readFileSync(join(root, failed?.log ?? ''), 'utf8'), /boom on stderr/);
  assert.match(out, /FAIL c1\/b/);
});

test('a step planned as skipped is recorded with its reason and never run; the run still passes', async () => {
  const root = tempRoot();
  const { record } = await execute(
    plan([
      step({
        id: 'c1/routes/x',
        cluster: 'c1',
        title: 'x',
        timeoutMs: 5000,
        actions: [touch('ran')],
        skip: 'the mesh cannot route by header',
      }),
      step({ id: 'c1/after', cluster: 'c1', title: 'a', timeoutMs: 5000, actions: [touch('after')] }),
    ]),
    root,
  );
  assert.deepEqual(
    record.steps.map((r) => [r.id, r.status, r.reason]),
    [
      ['c1/routes/x', 'skipped', 'the mesh cannot route by header'],
      ['c1/after', 'passed', undefined],
    ],
  );
  assert.ok(!existsSync(join(root, 'ran')) && existsSync(join(root, 'after')));
  assert.ok(runPassed(record));
});

test('a failed run-wide step stops every cluster; clusters that never started get no cleanup', async () => {
  const root = tempRoot();
  const { status } = await execute(
    plan([
      step({ id: 'run/tools', cluster: null, title: 't', timeoutMs: 5000, actions: [task('missing-tools')] }),
      step({ id: 'c1/create', cluster: 'c1', title: 'c', timeoutMs: 5000, actions: [touch('created')] }),
      step({
        id: 'c1/delete',
        cluster: 'c1',
        title: 'd',
        timeoutMs: 5000,
        actions: [touch('deleted')],
        when: 'always',
      }),
    ]),
    root,
    {
      tasks: {
        'missing-tools': async (_args, ctx) => {
          ctx.evidence({ type: 'tools', missing: ['kind'] });
          throw new Error('kind is missing');
        },
      },
    },
  );
  assert.deepEqual(status, { 'run/tools': 'failed', 'c1/create': 'skipped', 'c1/delete': 'skipped' });
  assert.ok(!existsSync(join(root, 'created')) && !existsSync(join(root, 'deleted')));
});

test('a step past its timeout is killed with its whole process tree, even a child that ignores SIGTERM', async () => {
  const root = tempRoot();
  // The step's process starts a grandchild that ignores SIGTERM and writes its pid, then waits.
  const grandchild =
    "process.on('SIGTERM',()=>{});require('fs').writeFileSync('grandchild.pid',String(process.pid));setInterval(()=>{},1000)";
  const parent = `const c=require('child_process').spawn(process.execPath,['-e',${JSON.stringify(grandchild)}],{stdio:'inherit'});process.on('SIGTERM',()=>{});setInterval(()=>{},1000)`;
  const started = Date.now();
  const { record } = await execute(
    plan(
      [step({ id: 'c1/slow', cluster: 'c1', title: 's', timeoutMs: 1500, actions: [node(parent)] })],
      ['c1'],
    ),
    root,
  );
  const slow = record.steps[0];
  assert.equal(slow?.status, 'timed-out');
  assert.match(slow?.reason ?? '', /timed out after 2s|timed out after 1s/);
  assert.ok(Date.now() - started < 6000, 'the engine did not wait for the tree to exit by itself');
  const pid = Number(readFileSync(join(root, 'grandchild.pid'), 'utf8'));
  assert.ok(pid > 0);
  assert.equal(await gone(pid), true, `grandchild ${pid} survived`);
});

test('a task that ignores its abort signal does not hold the run past the grace period', async () => {
  const root = tempRoot();
  const { record } = await execute(
    plan(
      [step({ id: 'c1/stuck', cluster: 'c1', title: 's', timeoutMs: 300, actions: [task('stuck')] })],
      ['c1'],
    ),
    root,
    { tasks: { stuck: () => new Promise(() => {}) } },
  );
  assert.equal(record.steps[0]?.status, 'timed-out');
});

test('SIGINT to a real runner process kills the running step, runs cleanup only, and leaves no child', async () => {
  const root = tempRoot();
  const script = fileURLToPath(new URL('./fixtures/interruptible-run.ts', import.meta.url));
  const child = spawn(process.execPath, [script, root], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const deadline = Date.now() + 15_000;
  while (!existsSync(join(root, 'long.pid')) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  const pid = Number(readFileSync(join(root, 'long.pid'), 'utf8'));
  child.kill('SIGINT');
  const code = await new Promise<number | null>((r) => child.on('close', r));
  assert.equal(code, 130, out);
  assert.match(out, /\["c1\/long","interrupted"\],\["c1\/after","skipped"\],\["c1\/cleanup","passed"\]/);
  assert.ok(existsSync(join(root, 'cleaned')), 'cleanup ran');
  assert.ok(!existsSync(join(root, 'after')), 'the normal path stopped');
  assert.equal(await gone(pid), true, `step process ${pid} survived the interrupt`);
});
