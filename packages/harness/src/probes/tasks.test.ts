import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TaskContext } from '../registry.ts';
import type { ClusterPlan, Evidence, Json } from '../step.ts';
import { ZERO_TRUST_PROBES } from './steps.ts';
import { ZERO_TRUST_TASKS } from './tasks.ts';

const run = ZERO_TRUST_TASKS[ZERO_TRUST_PROBES];
const probe = {
  id: 'allowed:frontend->backend:GET:/',
  from: 'frontend',
  to: 'backend',
  method: 'GET',
  path: '/',
  expect: 'allow',
  caller: 'allowed',
  why: 't',
} as const;
const argv = ['kubectl', '--context', 'kind-x', 'exec', '-n', 'shop', 'deploy/frontend-v1', '--', 'true'];
const cluster: ClusterPlan = {
  name: 'x',
  mesh: 'none',
  target: { kubeconfig: null, context: 'kind-x' },
  existing: false,
  probes: [probe],
};
const args = (extra: Record<string, Json> = {}): { [key: string]: Json } => ({
  mesh: 'none',
  refusals: { classes: ['DENIED_DROP'], l7: [] },
  retry: { intervalMs: 10, boundMs: 1000, consecutive: 2, requestTimeoutMs: 50 },
  execTimeoutMs: 40,
  probes: [{ id: probe.id, controls: [] }],
  argv: { [probe.id]: argv },
  ...extra,
});

test('an exec that never returns is a failed attempt with a reason, not a stalled step', async () => {
  const evidence: Evidence[] = [];
  const ctx = {
    cluster,
    signal: new AbortController().signal,
    log: () => {},
    evidence: (e: Evidence) => evidence.push(e),
    exec: () => new Promise(() => {}),
  } as unknown as TaskContext;
  const started = Date.now();
  await assert.rejects(run(args(), ctx), /1 of 1 probe\(s\) failed/);
  // Bounded by the retry bound (1 s), not by the exec that never returns; generous for a busy machine.
  assert.ok(Date.now() - started < 10_000);
  const attempts = evidence[0]?.attempts as { execError: string }[] | undefined;
  assert.ok((attempts?.length ?? 0) >= 2);
  assert.match(attempts?.[0]?.execError ?? '', /no result from kubectl exec within 0.04 s/);
  assert.deepEqual(Object.keys(evidence[0]?.outcome ?? {}).sort(), [
    'attempts',
    'class',
    'durationMs',
    'reason',
  ]);
});

test('bad args are refused before anything runs, naming the field', async () => {
  const ctx = { cluster, exec: () => assert.fail('nothing may run') } as unknown as TaskContext;
  await assert.rejects(run(args({ probes: [] }), ctx), /args\.probes must be a non-empty list/);
  await assert.rejects(
    run(args({ probes: [{ id: 'nope', controls: [] }] }), ctx),
    /"nope" is not a probe of x's plan/,
  );
  await assert.rejects(
    run(args({ argv: { [probe.id]: ['sh', '-c', 'x'] } }), ctx),
    /must be a kubectl command/,
  );
  await assert.rejects(run(args({ refusals: null }), ctx), /args\.refusals must be/);
  await assert.rejects(run(args({ refusals: { classes: [], l7: ['nginx'] } }), ctx), /no signature "nginx"/);
  await assert.rejects(run(args({ execTimeoutMs: 0 }), ctx), /args\.execTimeoutMs/);
  await assert.rejects(run(args(), { ...ctx, cluster: null }), /the step has no cluster/);
});
