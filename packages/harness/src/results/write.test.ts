import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promotionEvidence } from '../canary/synthetic.ts';
import { runPlan } from '../engine/engine.ts';
import { createReporter } from '../engine/reporter.ts';
import { taskRegistry } from '../registry.ts';
import { type Evidence, type Plan, type PlannedProbe, run, step, task } from '../step.ts';
import { writeResults } from './write.ts';

const root = mkdtempSync(join(tmpdir(), 'meshproof-results-'));
after(() => rmSync(root, { recursive: true, force: true }));

const probe = (id: string, expect: 'allow' | 'deny'): PlannedProbe => ({
  id,
  from: 'frontend',
  to: 'backend',
  method: 'GET',
  path: '/',
  expect,
  caller: expect === 'allow' ? 'allowed' : 'wrong-identity',
  why: 'test',
});

test('a real run writes results.json, JUnit XML and a Markdown summary (also to $GITHUB_STEP_SUMMARY)', async () => {
  const plan: Plan = {
    runId: 'r1',
    runDir: '.e2e/r1',
    clusters: [
      {
        name: 'c1',
        mesh: 'linkerd',
        target: { kubeconfig: null, context: 'c1' },
        existing: false,
        probes: [probe('c1/p1', 'allow'), probe('c1/p2', 'deny'), probe('c1/p3', 'deny')],
      },
    ],
    steps: [
      step({
        id: 'c1/up',
        cluster: 'c1',
        title: 'up <&>',
        timeoutMs: 5000,
        actions: [run(['node', '-e', '0'])],
      }),
      step({
        id: 'c1/probes',
        cluster: 'c1',
        title: 'probes',
        timeoutMs: 5000,
        actions: [task('probes')],
        onFailure: 'continue',
      }),
      step({
        id: 'c1/diag',
        cluster: 'c1',
        title: 'diag',
        timeoutMs: 5000,
        actions: [run(['node', '-e', '0'])],
        when: 'failed',
      }),
    ],
  };
  const tasks = taskRegistry({
    probes: async (_args, ctx) => {
      ctx.evidence({
        type: 'probe',
        probe: { id: 'c1/p1' },
        passed: true,
        outcome: { kind: 'http', status: 200 },
      });
      ctx.evidence({
        type: 'probe',
        probe: { id: 'c1/p2' },
        passed: false,
        outcome: { kind: 'http', status: 200 },
      });
      throw new Error('1 of 2 probes failed: frontend → backend expected deny, got HTTP 200');
    },
  });
  const record = await runPlan(plan, {
    root,
    tasks,
    kube: async () => {},
    reporter: createReporter({ write: () => true }, false),
    interrupt: new AbortController().signal,
  });
  const summaryFile = join(root, 'step-summary.md');
  const results = writeResults(root, plan, record, { GITHUB_STEP_SUMMARY: summaryFile });
  assert.equal(results.passed, false);
  const json = JSON.parse(readFileSync(join(root, '.e2e/r1/results.json'), 'utf8'));
  assert.deepEqual(
    json.steps.map((s: { id: string; status: string }) => [s.id, s.status]),
    [
      ['c1/up', 'passed'],
      ['c1/probes', 'failed'],
      ['c1/diag', 'passed'],
    ],
  );
  assert.deepEqual(
    json.probes.map((p: { probe: { id: string }; status: string }) => [p.probe.id, p.status]),
    [
      ['c1/p1', 'passed'],
      ['c1/p2', 'failed'],
      ['c1/p3', 'not run'],
    ],
  );
  assert.deepEqual(json.clusters, [{ name: 'c1', mesh: 'linkerd', existing: false, passed: false }]);
  const xml = readFileSync(join(root, '.e2e/r1/junit.xml'), 'utf8');
  assert.match(xml, /<testsuite name="c1" tests="6" failures="2" errors="0" skipped="1"/);
  assert.match(xml, /name="c1\/up: up &lt;&amp;&gt;"/);
  assert.match(
    xml,
    /<failure message="failed: 1 of 2 probes failed: frontend → backend expected deny, got HTTP 200"\/>/,
  );
  const md = readFileSync(join(root, '.e2e/r1/summary.md'), 'utf8');
  assert.match(md, /## meshproof e2e FAILED/);
  assert.match(md, /\| c1 \| linkerd \| FAILED \|/);
  assert.match(
    md,
    /\| c1 \| frontend → backend \| GET \/ \| wrong-identity \| deny \| failed \| \{"kind":"http","status":200\} \|/,
  );
  assert.equal(readFileSync(summaryFile, 'utf8'), md);
});

test('an all-passed run is reported as passed', async () => {
  const plan: Plan = {
    runId: 'r2',
    runDir: '.e2e/r2',
    clusters: [
      { name: 'c1', mesh: 'none', target: { kubeconfig: null, context: 'c1' }, existing: true, probes: [] },
    ],
    steps: [
      step({ id: 'c1/up', cluster: 'c1', title: 'up', timeoutMs: 5000, actions: [run(['node', '-e', '0'])] }),
    ],
  };
  const record = await runPlan(plan, {
    root,
    tasks: taskRegistry(),
    kube: async () => {},
    reporter: createReporter({ write: () => true }, false),
    interrupt: new AbortController().signal,
  });
  const results = writeResults(root, plan, record, {});
  assert.equal(results.passed, true);
  assert.match(readFileSync(join(root, '.e2e/r2/summary.md'), 'utf8'), /## meshproof e2e passed/);
});

test('canary evidence becomes the results canaries, a per-step table in the summary and canary.html', async () => {
  const evidence = promotionEvidence({ seed: 51, weights: [10, 20] });
  const plan: Plan = {
    runId: 'r3',
    runDir: '.e2e/r3',
    clusters: [
      {
        name: 'c1',
        mesh: 'linkerd',
        target: { kubeconfig: null, context: 'c1' },
        existing: false,
        probes: [],
      },
    ],
    steps: [
      step({
        id: 'c1/canary/backend-promotion',
        cluster: 'c1',
        title: 'promote',
        timeoutMs: 5000,
        actions: [task('canary')],
      }),
    ],
  };
  const record = await runPlan(plan, {
    root,
    tasks: taskRegistry({
      canary: async (_args, ctx) => ctx.evidence(evidence as unknown as Evidence),
    }),
    kube: async () => {},
    reporter: createReporter({ write: () => true }, false),
    interrupt: new AbortController().signal,
  });
  const results = writeResults(root, plan, record, {});
  assert.equal(results.passed, true);
  const json = JSON.parse(readFileSync(join(root, '.e2e/r3/results.json'), 'utf8'));
  assert.deepEqual(json.canaries, [{ cluster: 'c1', step: 'c1/canary/backend-promotion', evidence }]);
  const md = readFileSync(join(root, '.e2e/r3/summary.md'), 'utf8');
  assert.match(md, /### Canaries/);
  assert.match(md, /#### c1: backend promotion v1 → v2: passed/);
  assert.match(md, /\| Progressing \| 20 % \| \d+ \| \d+\.\d % \[/);
  assert.match(
    readFileSync(join(root, '.e2e/r3/canary.html'), 'utf8'),
    /<svg[^>]*>[\s\S]*<td>Progressing<\/td><td>10 %/,
  );
});

test('header routes: a ran check with its counts and a planned skip with its reason, in results.json and the summary', async () => {
  const counts = { withHeader: { v2: 50 }, withoutHeader: { v1: 50 } };
  const plan: Plan = {
    runId: 'r4',
    runDir: '.e2e/r4',
    clusters: ['c1', 'c2'].map((name) => ({
      name,
      mesh: name === 'c1' ? 'linkerd' : 'none',
      target: { kubeconfig: null, context: name },
      existing: false,
      probes: [],
    })),
    steps: [
      step({
        id: 'c1/routes/catalog-0',
        cluster: 'c1',
        title: 'r',
        timeoutMs: 5000,
        actions: [task('route')],
      }),
      step({
        id: 'c2/routes/catalog-0',
        cluster: 'c2',
        title: 'r',
        timeoutMs: 5000,
        actions: [task('route')],
        skip: 'apps[2].routes is not applied on c2 (none): no proxy',
      }),
    ],
  };
  const record = await runPlan(plan, {
    root,
    tasks: taskRegistry({ route: async (_args, ctx) => ctx.evidence({ type: 'header-route', ...counts }) }),
    kube: async () => {},
    reporter: createReporter({ write: () => true }, false),
    interrupt: new AbortController().signal,
  });
  const results = writeResults(root, plan, record, {});
  assert.equal(results.passed, true);
  const json = JSON.parse(readFileSync(join(root, '.e2e/r4/results.json'), 'utf8'));
  assert.deepEqual(
    json.headerRoutes.map((h: { step: string; status: string; reason: string | null }) => [
      h.step,
      h.status,
      h.reason,
    ]),
    [
      ['c1/routes/catalog-0', 'passed', null],
      ['c2/routes/catalog-0', 'skipped', 'apps[2].routes is not applied on c2 (none): no proxy'],
    ],
  );
  const md = readFileSync(join(root, '.e2e/r4/summary.md'), 'utf8');
  assert.match(md, /### Header routes/);
  assert.match(md, /\| c1 \| c1\/routes\/catalog-0 \| passed \| v2 50 \| v1 50 \| {2}\|/);
  assert.match(
    md,
    /\| c2 \| c2\/routes\/catalog-0 \| skipped \| {2}\| {2}\| apps\[2\]\.routes is not applied on c2 \(none\): no proxy \|/,
  );
  assert.match(
    readFileSync(join(root, '.e2e/r4/junit.xml'), 'utf8'),
    /<skipped message="apps\[2\]\.routes is not applied/,
  );
});
