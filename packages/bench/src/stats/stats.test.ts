// The statistics against answers known in advance: draws from distributions with closed-form percentiles,
// interval coverage over many simulated experiments, and a known added delay found by the paired design.
// Every draw comes from a seeded generator, so these results are the same on every run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expandedTail } from './bootstrap.ts';
import { type Histogram, newHistogram, PERCENTILES, percentilesMs, recordMs } from './histogram.ts';
import { analyzePairs } from './overhead.ts';
import { exponential, normal, type Rng, seededRng } from './rng.ts';

test('HDR percentiles of exponential draws match the closed form −mean·ln(1−q)', () => {
  const rng = seededRng(1);
  const h = newHistogram();
  for (let i = 0; i < 200_000; i++) recordMs(h, exponential(rng, 1));
  const got = percentilesMs(h);
  for (const { key, q } of PERCENTILES) {
    const want = -Math.log(1 - q / 100);
    const tolerance = key === 'p999' ? 0.05 : 0.02;
    assert.ok(Math.abs(got[key] - want) / want < tolerance, `${key}: got ${got[key]}, want ${want}`);
  }
});

test('the expanded bootstrap tail widens the interval for few pairs and tends to 2.5 %', () => {
  assert.ok(expandedTail(3) < 0.001);
  assert.ok(expandedTail(10) > 0.005 && expandedTail(10) < 0.015);
  assert.ok(Math.abs(expandedTail(10_000) - 0.025) < 0.0005);
});

interface Sim {
  pairs: number;
  samples: number;
  delayMs: number;
  /** sd of the log of a pair's shared drift factor (slow drift of the host between pairs). */
  driftSd: number;
}

/** One run: lognormal latencies (median 1 ms), scaled by the pair's drift and a little per-run noise. */
function simRun(rng: Rng, drift: number, sim: Sim, delay: number): Histogram {
  const h = newHistogram();
  const runFactor = drift * Math.exp(0.03 * normal(rng));
  for (let i = 0; i < sim.samples; i++) recordMs(h, runFactor * Math.exp(0.4 * normal(rng)) + delay);
  return h;
}

function experiment(rng: Rng, sim: Sim) {
  const plain: Histogram[] = [];
  const mesh: Histogram[] = [];
  for (let i = 0; i < sim.pairs; i++) {
    const drift = Math.exp(sim.driftSd * normal(rng));
    plain.push(simRun(rng, drift, sim, 0));
    mesh.push(simRun(rng, drift, sim, sim.delayMs));
  }
  return { plain, mesh };
}

test('95 % intervals cover a known added delay in about 95 % of simulated experiments', (t) => {
  // The true overhead is exactly delayMs at every percentile: mesh = plain distribution shifted by it.
  const sim: Sim = { pairs: 8, samples: 1000, delayMs: 0.2, driftSd: 0.1 };
  const rng = seededRng(7);
  const experiments = 300;
  const covered = { p50: 0, p99: 0 };
  for (let e = 0; e < experiments; e++) {
    const { plain, mesh } = experiment(rng, sim);
    const a = analyzePairs(plain, mesh, { resamples: 1000, seed: e });
    for (const key of ['p50', 'p99'] as const) {
      const ci = a.overhead[key].ci95;
      assert.ok(ci);
      if (ci[0] <= sim.delayMs && sim.delayMs <= ci[1]) covered[key]++;
    }
  }
  for (const key of ['p50', 'p99'] as const) {
    const coverage = covered[key] / experiments;
    assert.ok(coverage >= 0.92 && coverage <= 0.985, `${key} coverage ${coverage}`);
    t.diagnostic(`${key} coverage ${coverage}`);
  }
});

test('the paired design finds a 50 µs delay under 30 % drift between pairs; unpaired it would not', () => {
  const sim: Sim = { pairs: 6, samples: 5000, delayMs: 0.05, driftSd: 0.3 };
  const { plain, mesh } = experiment(seededRng(11), sim);
  const paired = analyzePairs(plain, mesh).overhead.p50;
  assert.ok(paired.ci95);
  assert.ok(paired.ci95[0] > 0, `paired CI ${paired.ci95} excludes 0`);
  assert.ok(paired.ci95[0] <= 0.05 && 0.05 <= paired.ci95[1], `paired CI ${paired.ci95} holds 0.05`);
  // Break the pairing (mesh runs matched with another pair's plain run): the drift no longer cancels.
  const shuffled = analyzePairs(plain, [...mesh.slice(3), ...mesh.slice(0, 3)]).overhead.p50;
  assert.ok(shuffled.ci95);
  assert.ok(shuffled.ci95[0] < 0, `unpaired CI ${shuffled.ci95} cannot tell the delay from 0`);
  assert.ok(shuffled.ci95[1] - shuffled.ci95[0] > 5 * (paired.ci95[1] - paired.ci95[0]));
});

test('no added delay: the interval holds 0; one pair gives an estimate and no interval', () => {
  const { plain, mesh } = experiment(seededRng(3), { pairs: 5, samples: 5000, delayMs: 0, driftSd: 0.2 });
  const a = analyzePairs(plain, mesh);
  for (const { key } of PERCENTILES) {
    const ci = a.overhead[key].ci95;
    assert.ok(ci && ci[0] <= 0 && ci[1] >= 0, `${key}: ${ci}`);
  }
  assert.equal(a.plain.count, 25_000);
  assert.equal(a.method.pairs, 5);
  const one = analyzePairs(plain.slice(0, 1), mesh.slice(0, 1));
  assert.equal(one.overhead.p50.ci95, null);
  assert.ok(Number.isFinite(one.overhead.p50.ms));
});

test('the pct overhead is relative to the plain value', () => {
  const p = newHistogram();
  const m = newHistogram();
  for (let i = 0; i < 1000; i++) {
    recordMs(p, 1);
    recordMs(m, 1.5);
  }
  const o = analyzePairs([p, p], [m, m]).overhead.p90;
  assert.ok(Math.abs(o.ms - 0.5) < 0.002 && Math.abs(o.pct - 50) < 0.2, JSON.stringify(o));
  assert.deepEqual(
    o.ci95?.map((x) => Math.round(x * 1000)),
    [500, 500],
  );
});
