import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runPlan } from '../engine/engine.ts';
import { createReporter } from '../engine/reporter.ts';
import { taskRegistry } from '../registry.ts';
import { type Plan, run, type Step, step, task } from '../step.ts';
import { coreTasks } from './tasks.ts';

// Real Docker networks with unique names stand in for the `kind` network.
const docker = (...args: string[]) => spawnSync('docker', args, { encoding: 'utf8' });
const exists = (name: string) => docker('network', 'inspect', name).status === 0;
const root = mkdtempSync(join(tmpdir(), 'meshproof-network-'));
const names: string[] = [];
after(() => {
  for (const n of names) docker('network', 'rm', n);
  rmSync(root, { recursive: true, force: true });
});

async function runWith(network: string, middle: Step[]) {
  const file = `run/${network}.txt`;
  const plan: Plan = {
    runId: 'n',
    runDir: 'run',
    clusters: [],
    steps: [
      step({
        id: 'run/before',
        cluster: null,
        title: 'b',
        timeoutMs: 30_000,
        actions: [task('network-before', { network, file })],
      }),
      ...middle,
      step({
        id: 'run/after',
        cluster: null,
        title: 'a',
        timeoutMs: 30_000,
        actions: [task('network-after', { network, file })],
        when: 'always',
      }),
    ],
  };
  return runPlan(plan, {
    root,
    tasks: taskRegistry(coreTasks),
    kube: async () => {},
    reporter: createReporter({ write: () => true }, false),
    interrupt: new AbortController().signal,
  });
}

test('a network the run created is removed at the end, even after a failure; one that existed before stays', async () => {
  const made = `meshproof-net-made-${process.pid}`;
  names.push(made);
  const record = await runWith(made, [
    step({
      id: 'run/create',
      cluster: null,
      title: 'c',
      timeoutMs: 30_000,
      actions: [run(['docker', 'network', 'create', made])],
    }),
    step({
      id: 'run/fail',
      cluster: null,
      title: 'f',
      timeoutMs: 30_000,
      actions: [run(['node', '-e', 'process.exit(1)'])],
    }),
  ]);
  assert.deepEqual(
    record.steps.map((s) => s.status),
    ['passed', 'passed', 'failed', 'passed'],
  );
  assert.equal(exists(made), false, 'the network the run created survived');

  const kept = `meshproof-net-kept-${process.pid}`;
  names.push(kept);
  assert.equal(docker('network', 'create', kept).status, 0);
  await runWith(kept, []);
  assert.equal(exists(kept), true, 'a network that existed before the run was removed');
});
