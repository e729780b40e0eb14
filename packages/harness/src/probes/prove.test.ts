import assert from 'node:assert/strict';
import { test } from 'node:test';
import { knownDenySignatures, meshPlugin } from '@meshproof/render';
import type { RequestEvidence } from './evidence.ts';
import type { Probe } from './matrix.ts';
import { type ExecResult, parseExec, prove } from './prove.ts';

const probe = (expect: 'allow' | 'deny'): Probe => ({
  id: 'x',
  from: 'frontend',
  to: 'backend',
  method: 'GET',
  path: '/',
  url: 'http://backend.shop.svc.cluster.local:8080/',
  expect,
  caller: expect === 'allow' ? 'allowed' : 'wrong-identity',
  why: 'test',
  source: { namespace: 'shop', target: 'deploy/frontend-v1', container: 'frontend' },
  controls: [],
});

const line = (status: number, body = ''): ExecResult => {
  const e: RequestEvidence = {
    method: 'GET',
    url: 'http://backend.shop.svc.cluster.local:8080/',
    connected: true,
    phase: 'done',
    status,
    headers: {},
    body,
    bodyBytes: body.length,
    timings: { totalMs: 3 },
  };
  return { code: 0, stdout: `${JSON.stringify(e)}\n`, stderr: '' };
};

/** A scripted sequence of exec results and a clock that only moves when the loop sleeps. */
function script(results: ExecResult[]) {
  let t = 0;
  let i = 0;
  return {
    attempt: async () => results[Math.min(i++, results.length - 1)] as ExecResult,
    sleep: async (ms: number) => {
      t += ms;
    },
    now: () => t,
    calls: () => i,
  };
}

const opts = (s: ReturnType<typeof script>) => ({
  denials: meshPlugin('istio-sidecar').zeroTrust.denials,
  signatures: knownDenySignatures(),
  targetProvenUp: true,
  sleep: s.sleep,
  now: s.now,
});

test('retries until the verdict holds 3 times in a row, keeping every attempt', async () => {
  // Policy not applied yet (200), a 503 blip, then the refusal holds.
  const s = script([
    line(200),
    line(503),
    line(403, 'RBAC: access denied'),
    line(200),
    ...Array(3).fill(line(403, 'RBAC: access denied')),
  ]);
  const result = await prove(probe('deny'), s.attempt, opts(s));
  assert.equal(result.pass, true);
  assert.equal(result.attempts.length, 7);
  assert.deepEqual(
    result.attempts.map((a) => a.classification.outcome),
    ['ALLOWED', 'AMBIGUOUS_5XX', 'DENIED_L7', 'ALLOWED', 'DENIED_L7', 'DENIED_L7', 'DENIED_L7'],
  );
  assert.deepEqual(
    result.attempts.map((a) => a.atMs),
    [0, 1000, 2000, 3000, 4000, 5000, 6000],
  );
  assert.match(result.reason, /envoy-rbac.*3 in a row, 7 attempts/);
});

test('gives up at the bound with the last reason and all evidence', async () => {
  const s = script([line(200)]);
  const result = await prove(probe('deny'), s.attempt, opts(s));
  assert.equal(result.pass, false);
  assert.equal(result.attempts.length, 31); // at 0 s, 1 s, ... 30 s
  assert.match(
    result.reason,
    /expected a refusal, but HTTP 200 \(no 3 passes in a row within 30 s; 31 attempts\)/,
  );
});

test("an exec failure is an ERROR with kubectl's words, never a verdict", async () => {
  const s = script([
    { code: 1, stdout: '', stderr: 'error: unable to upgrade connection: container not found ("frontend")' },
  ]);
  const result = await prove(probe('allow'), s.attempt, {
    ...opts(s),
    retry: { intervalMs: 1000, boundMs: 2000, consecutive: 2, requestTimeoutMs: 2000 },
  });
  assert.equal(result.pass, false);
  assert.equal(result.attempts.length, 3);
  assert.match(result.attempts[0]?.execError ?? '', /exited 1: error: unable to upgrade connection/);
  assert.deepEqual(parseExec({ code: 0, stdout: 'not json', stderr: '' }), {
    execError: 'kubectl exec exited 0: not json',
  });
});
