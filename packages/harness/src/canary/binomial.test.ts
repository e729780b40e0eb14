import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalCdf, wilson, zFor } from './binomial.ts';

const close = (a: number, b: number, eps = 1e-4) => assert.ok(Math.abs(a - b) < eps, `${a} vs ${b}`);

test('normal quantiles match the usual table values', () => {
  close(zFor(0.95), 1.959964);
  close(zFor(0.99), 2.575829);
  close(zFor(0.998), 3.090232);
  close(normalCdf(0), 0.5, 1e-7);
  close(normalCdf(-1.959964), 0.025, 1e-6);
});

test('Wilson interval: textbook values, exact bounds at 0 and n, total ignorance at n = 0', () => {
  // 10 of 100 at 95 %: 0.0552..0.1744 (computed by hand from the score formula).
  const i = wilson(10, 100);
  close(i.low, 0.05523, 1e-4);
  close(i.high, 0.17437, 1e-4);
  assert.equal(wilson(0, 50).low, 0);
  assert.ok(wilson(0, 50).high > 0.05 && wilson(0, 50).high < 0.08);
  assert.equal(wilson(50, 50).high, 1);
  assert.deepEqual(wilson(0, 0), { low: 0, high: 1 });
});

test('bad input is refused with the values named', () => {
  assert.throws(() => wilson(5, 3), /0 <= k <= n; got k=5, n=3/);
  assert.throws(() => wilson(1.5, 3), /integers/);
  assert.throws(() => zFor(1), /confidence level must be in \(0, 1\); got 1/);
});
