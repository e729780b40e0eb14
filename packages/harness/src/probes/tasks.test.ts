import assert from 'node:assert/strict';
import { test } from 'node:test';
import { meshPlugin } from '@meshproof/render';
import type { TaskContext } from '../registry.ts';
import type { Evidence, Json } from '../step.ts';
import { ZERO_TRUST_PROBES } from './steps.ts';
import { ZERO_TRUST_TASKS } from './tasks.ts';

const run = ZERO_TRUST_TASKS[ZERO_TRUST_PROBES];
const probe = {
  id: 'allowed:frontend->backend:GET:/',
  from: 'frontend',
  to: 'backend',
  method: 'GET',
  path: '/',
  url: 'http://backend.shop.svc.cluster.local:8080/',
  expect: 'allow',
  caller: 'allowed',
  why: 't',
  source: { namespace: 'shop', target: 'deploy/frontend-v1', container: 'frontend' },
  controls: [],
  argv: ['kubectl', '--context', 'kind-x', 'exec', '-n', 'shop', 'deploy/frontend-v1', '--', 'true'],
};
const args = (extra: Record<string, Json> = {}): { [key: string]: Json } => ({
  mesh: 'none',
  denials: meshPlugin('none').zeroTrust.denials as unknown as Json,
  retry: { intervalMs: 10, boundMs: 150, consecutive: 2, requestTimeoutMs: 50 },
  execTimeoutMs: 40,
  probes: [probe],
  ...extra,
});

test('an exec that never returns is a failed attempt with a reason, not a stalled step', async () => {
  const evidence: Evidence[] = [];
  const ctx = {
    signal: new AbortController().signal,
    log: () => {},
    evidence: (e: Evidence) => evidence.push(e),
    exec: () => new Promise(() => {}),
  } as unknown as TaskContext;
  const started = Date.now();
  await assert.rejects(run(args(), ctx), /1 of 1 probe\(s\) failed/);
  assert.ok(Date.now() - started < 2000);
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
  const ctx = { exec: () => assert.fail('nothing may run') } as unknown as TaskContext;
  await assert.rejects(run(args({ probes: [] }), ctx), /args\.probes must be a non-empty list/);
  await assert.rejects(
    run(args({ probes: [{ ...probe, argv: ['sh', '-c', 'x'] }] }), ctx),
    /argv must be a kubectl command/,
  );
  await assert.rejects(run(args({ denials: null }), ctx), /args\.denials must be/);
  await assert.rejects(run(args({ execTimeoutMs: 0 }), ctx), /args\.execTimeoutMs/);
});
