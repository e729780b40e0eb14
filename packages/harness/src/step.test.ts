import assert from 'node:assert/strict';
import { test } from 'node:test';
import { taskRegistry } from './registry.ts';
import { type Plan, run, step, task, validatePlan } from './step.ts';

const plan = (steps: Plan['steps']): Plan => ({
  runId: 'r1',
  runDir: '.e2e/r1',
  clusters: [
    {
      name: 'c1',
      mesh: 'none',
      target: { kubeconfig: null, context: 'kind-c1' },
      existing: false,
      probes: [],
    },
  ],
  steps,
});

test('a plan is plain JSON: it survives a JSON round trip unchanged', () => {
  const p = plan([
    step({ id: 'c1/a', cluster: 'c1', title: 'a', timeoutMs: 1000, actions: [run(['kind', 'version'])] }),
    step({
      id: 'run/b',
      cluster: null,
      title: 'b',
      timeoutMs: 1000,
      actions: [task('x', { n: 1 })],
      when: 'always',
    }),
  ]);
  assert.deepEqual(JSON.parse(JSON.stringify(p)), p);
});

test('validatePlan names duplicate ids, unknown clusters, tools and tasks', () => {
  const known = new Set(taskRegistry({ x: async () => {} }).keys());
  const bad = plan([
    step({ id: 'c1/a', cluster: 'c1', title: 'a', timeoutMs: 1000, actions: [task('x')] }),
    step({ id: 'c1/a', cluster: 'c2', title: 'a', timeoutMs: 0, actions: [task('nope')] }),
    step({
      id: 'c1/b',
      cluster: 'c1',
      title: 'b',
      timeoutMs: 1,
      actions: [run(['rm' as 'kind', '-rf', '/'])],
    }),
  ]);
  assert.deepEqual(validatePlan(bad, known), [
    'step c1/a: duplicate id',
    'step c1/a: cluster "c2" is not in the plan',
    'step c1/a: timeoutMs must be positive',
    'step c1/a action 0: no executor registered for task "nope"',
    'step c1/b action 0: "rm" is not one of docker|kind|kubectl|helm|flux|git|node',
  ]);
  assert.deepEqual(validatePlan(plan([bad.steps[0] as Plan['steps'][0]]), known), []);
});

test('a task registered twice is refused', () => {
  assert.throws(
    () => taskRegistry({ x: async () => {} }, { x: async () => {} }),
    /task "x" is registered twice/,
  );
});
