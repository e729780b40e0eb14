import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blastRadius, predictErrorRate } from './blast-radius.ts';
import { simulate } from './synthetic.ts';
import { weightSteps } from './timeline.ts';

test('prediction: w·f without retries; retries bound it between re-routed and same-backend attempts', () => {
  assert.deepEqual(predictErrorRate(10, { errorRate: 0.5, retries: 0 }), {
    noRetry: 0.05,
    low: 0.05,
    high: 0.05,
  });
  const p = predictErrorRate(10, { errorRate: 0.5, retries: 2 });
  assert.equal(p.noRetry, 0.05);
  assert.ok(Math.abs(p.low - 0.05 ** 3) < 1e-12); // every attempt re-routed: 1.25e-4
  assert.ok(Math.abs(p.high - 0.1 * 0.125) < 1e-12); // attempts stay on the canary: 1.25 %
  assert.throws(() => predictErrorRate(10, { errorRate: 1.5, retries: 0 }), /0\.\.1; got 1\.5/);
  assert.throws(() => predictErrorRate(10, { errorRate: 0.5, retries: -1 }), /whole number >= 0; got -1/);
});

// A rollback: Flagger holds the first step (10 %) while checks fail, as it does until the threshold.
const rollback = { weights: [10, 10, 10, 10, 10], canaryErrorRate: 0.5, rps: 40 };

test('no retries: the client sees about 5 % errors at weight 10 with a 50 % fault, as predicted', () => {
  const { polls, samples } = simulate({ seed: 21, ...rollback });
  const steps = weightSteps(polls).filter((s) => s.phase === 'Progressing');
  const b = blastRadius(samples, steps, { errorRate: 0.5, retries: 0 });
  assert.ok(b.total.consistent, JSON.stringify(b.total));
  assert.ok(Math.abs(b.total.rate - 0.05) < 0.01, `rate ${b.total.rate}`);
  assert.equal(b.total.predicted.noRetry, 0.05);
  assert.ok(b.steps.every((s) => s.samples > 0));
});

test('retries that stay on the canary: observed near w·f^3, inside the predicted range', () => {
  const { polls, samples } = simulate({ seed: 22, ...rollback, retries: 2, retryReroutes: false });
  const steps = weightSteps(polls).filter((s) => s.phase === 'Progressing');
  const b = blastRadius(samples, steps, { errorRate: 0.5, retries: 2 });
  assert.ok(b.total.consistent, JSON.stringify(b.total));
  assert.ok(b.total.rate < 0.03 && b.total.rate > 0.003, `rate ${b.total.rate}`);
});

test('a mesh that retries less than configured (or not at all) is inconsistent with the prediction', () => {
  const { polls, samples } = simulate({ seed: 23, ...rollback, retries: 0 });
  const steps = weightSteps(polls).filter((s) => s.phase === 'Progressing');
  const b = blastRadius(samples, steps, { errorRate: 0.5, retries: 2 });
  assert.equal(b.total.consistent, false);
  assert.ok(b.total.ci.low > b.total.predicted.high);
});

test('a healthy canary predicts and shows 0 errors; the total weighs steps by their samples', () => {
  const { polls, samples } = simulate({ seed: 24, weights: [10, 20, 30] });
  const steps = weightSteps(polls).filter((s) => s.phase === 'Progressing');
  const b = blastRadius(samples, steps, { errorRate: 0, retries: 0 });
  assert.equal(b.total.errors, 0);
  assert.equal(b.total.predicted.high, 0);
  assert.ok(b.total.consistent);
  assert.equal(
    b.total.samples,
    b.steps.reduce((a, s) => a + s.samples, 0),
  );
});
