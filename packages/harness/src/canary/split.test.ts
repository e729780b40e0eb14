import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitReport } from './split.ts';
import { simulate } from './synthetic.ts';
import { weightSteps } from './timeline.ts';

const WEIGHTS = [10, 20, 30, 40, 50];

function judge(seed: number, extra: Partial<Parameters<typeof simulate>[0]> = {}) {
  const { polls, samples } = simulate({ seed, weights: WEIGHTS, ...extra });
  return splitReport(samples, weightSteps(polls), { canaryVersion: 'v2' });
}

test('a mesh that honours the weights passes; every Progressing step is judged', () => {
  const r = judge(1);
  assert.equal(r.judged, 5);
  assert.deepEqual(
    r.steps.filter((s) => s.step.phase === 'Progressing').map((s) => s.step.weight),
    WEIGHTS,
  );
  assert.ok(r.ok, r.problems.join('\n'));
  for (const s of r.steps.filter((x) => x.status === 'ok')) {
    assert.ok(s.versioned > 400, `step ${s.step.weight}: ${s.versioned} samples`);
    assert.ok(Math.abs(s.share - s.step.weight / 100) < 0.06);
  }
  // Promoting and the steady phases are reported, not judged: version labels don't follow weights there.
  assert.deepEqual(
    r.steps.filter((s) => s.status === 'not-judged').map((s) => s.step.phase),
    ['Initialized', 'Promoting', 'Succeeded'],
  );
});

test('a mesh that ignores the weights (50/50 round the clock) is flagged and fails', () => {
  const r = judge(2, { route: () => 0.5 });
  assert.equal(r.ok, false);
  const flagged = r.steps.filter((s) => s.status === 'flagged').map((s) => s.step.weight);
  // At weight 50 the two are indistinguishable; every other step must be caught.
  assert.deepEqual(flagged, [10, 20, 30, 40]);
  assert.match(r.problems.join('\n'), /weight 10 % \(Progressing\): canary share 4\d\.\d %/);
});

test('a mesh that never shifts (all traffic stays on the primary) is flagged on every step', () => {
  const r = judge(3, { route: () => 0 });
  assert.equal(r.flagged, 5);
  assert.equal(r.ok, false);
});

test('a mesh that applies weights halved (a subtle bug) is still caught with a normal sample rate', () => {
  const r = judge(4, { route: (w) => w / 200 });
  assert.equal(r.ok, false);
  assert.ok(r.flagged >= 4, `flagged ${r.flagged}`);
});

test('propagation lag shorter than the settle time is not mistaken for a wrong split', () => {
  for (let seed = 10; seed < 20; seed++) {
    const r = judge(seed, { lagMs: 2500 });
    assert.ok(r.ok, `seed ${seed}: ${r.problems.join('; ')}`);
  }
});

test('false alarms when the weights are honoured: about 5 % of steps flagged, about 1 % of runs failed', (t) => {
  // 400 seeded rollouts at a low sample rate (4 answers/s, ~100 per step), so the intervals are wide
  // and the check runs near its nominal level rather than trivially.
  const runs = 400;
  let steps = 0;
  let flagged = 0;
  let failedRuns = 0;
  for (let seed = 1000; seed < 1000 + runs; seed++) {
    const r = judge(seed, { rps: 4 });
    steps += r.judged;
    flagged += r.flagged;
    if (!r.ok) failedRuns++;
  }
  const stepRate = flagged / steps;
  t.diagnostic(`honest mesh: ${flagged}/${steps} steps flagged, ${failedRuns}/${runs} runs failed`);
  // 2000 steps: a true 5 % gives 3.5..6.5 % with >99 % probability; Wilson's coverage wobbles near nominal.
  assert.ok(stepRate > 0.025 && stepRate < 0.08, `flagged ${flagged}/${steps} = ${stepRate}`);
  assert.ok(failedRuns / runs <= 0.03, `failed runs ${failedRuns}/${runs}`);
});

test('too few answers in a judged step fails the verdict and says so', () => {
  const { polls, samples } = simulate({ seed: 5, weights: WEIGHTS, rps: 0.5 });
  const r = splitReport(samples, weightSteps(polls), { canaryVersion: 'v2' });
  assert.equal(r.ok, false);
  assert.match(
    r.problems.join('\n'),
    /weight 10 % \(Progressing\): only \d+ answers with a version, need 50/,
  );
});

test('no judged step at all is a failure, not a pass', () => {
  const r = splitReport([], [], { canaryVersion: 'v2' });
  assert.equal(r.ok, false);
  assert.deepEqual(r.problems, ['no step in phase Progressing long enough to judge']);
});

test('blue/green (weight stays 0 while Progressing): any answer from the canary is a leak', () => {
  const leaky = judge(6, { weights: [0, 0, 0], route: () => 0.01 });
  assert.equal(leaky.ok, false);
  const tight = judge(7, { weights: [0, 0, 0] });
  assert.ok(tight.ok, tight.problems.join('\n'));
});
