import assert from 'node:assert/strict';
import { test } from 'node:test';
import { step } from '../step.ts';
import { createReporter, wantsLive } from './reporter.ts';

const ESC = String.fromCharCode(27);

const s = step({
  id: 'c1/flux/wait-apps',
  cluster: 'c1',
  title: 'wait for apps',
  timeoutMs: 1000,
  actions: [],
});
const record = (status: 'passed' | 'failed', reason?: string) => ({
  id: s.id,
  cluster: 'c1',
  title: s.title,
  status,
  reason,
  durationMs: 1234,
  evidence: [],
});

test('in CI the reporter writes plain lines only; on a terminal it redraws one live line', () => {
  let plain = '';
  const ci = createReporter({ write: (t: string) => (plain += t) }, false);
  ci.stepStarted(s);
  ci.stepLine(s, 'Kustomization flux-system/apps: Ready=False (Progressing)');
  ci.stepFinished(s, record('failed', 'not Ready after 660s\nmore detail'));
  assert.equal(
    plain,
    '  ->   c1/flux/wait-apps: wait for apps\n  FAIL c1/flux/wait-apps (1.2s) — not Ready after 660s (…)\n',
  );
  assert.ok(!plain.includes(ESC), 'no terminal escapes in CI');
  let live = '';
  const tty = createReporter({ write: (t: string) => (live += t) }, true);
  tty.stepStarted(s);
  tty.stepFinished(s, record('passed'));
  assert.ok(live.startsWith(`\r${ESC}[K  ..   c1/flux/wait-apps 0.0s`), JSON.stringify(live));
  assert.ok(live.endsWith(`\r${ESC}[K  ok   c1/flux/wait-apps (1.2s)\n`), JSON.stringify(live));
  assert.equal(wantsLive(true, {}), true);
  assert.equal(wantsLive(true, { CI: 'true' }), false);
  assert.equal(wantsLive(false, {}), false);
});

test('the first and last lines name the command that runs the plan', () => {
  let out = '';
  const bench = createReporter({ write: (t: string) => (out += t) }, false, 'meshproof bench');
  bench.runStarted({ runId: 'r1', runDir: '.bench/r1', steps: [s] } as never);
  bench.runFinished({ steps: [{ ...record('passed'), id: s.id }], durationMs: 2000 } as never);
  assert.match(out, /^meshproof bench: run r1, 1 steps, results in \.bench\/r1\/\n/);
  assert.match(out, /\nmeshproof bench: 1 passed, 0 failed, 0 skipped in 2\.0s\n$/);
  assert.ok(!out.includes('e2e'), out);
});
