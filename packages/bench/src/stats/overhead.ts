// The paired overhead: for each repetition pair, mesh − plain at each percentile; the estimate is the mean
// over pairs (in ms) and that mean relative to the mean plain value (in %), each with a bootstrap 95 % CI
// over pairs (bootstrap.ts). The per-side figures are pooled: all runs of a side merged into one histogram.
import {
  type BootstrapOptions,
  bootstrapIntervals,
  DEFAULT_RESAMPLES,
  DEFAULT_SEED,
  expandedTail,
  quantileSorted,
} from './bootstrap.ts';
import {
  type Histogram,
  mergeHistograms,
  PERCENTILES,
  type PercentileKey,
  type Percentiles,
  percentilesMs,
} from './histogram.ts';
import { seededRng } from './rng.ts';

export interface SideSummary extends Percentiles {
  /** Requests measured on this side, all runs together. */
  count: number;
  runs: number;
}

export interface Overhead {
  /** Mean over pairs of (mesh − plain) in ms. */
  ms: number;
  /** That mean as a percentage of the mean plain value. */
  pct: number;
  /** 95 % CI of `ms`; null with fewer than two pairs. */
  ci95: [number, number] | null;
  /** 95 % CI of `pct`; null with fewer than two pairs. */
  pctCi95: [number, number] | null;
}

export interface PairResult {
  plain: Percentiles;
  mesh: Percentiles;
  /** mesh − plain per percentile, ms. */
  diff: Percentiles;
}

export interface Analysis {
  plain: SideSummary;
  mesh: SideSummary;
  overhead: Record<PercentileKey, Overhead>;
  pairs: PairResult[];
  method: {
    estimate: string;
    resamplingUnit: string;
    interval: string;
    resamples: number;
    seed: number;
    pairs: number;
  };
}

export const METHOD_TEXT = {
  estimate:
    'mean over repetition pairs of (mesh − plain) at each percentile; % relative to the mean plain value',
  resamplingUnit: 'repetition pair (one plain run and its paired mesh run); requests are never resampled',
  interval: 'expanded percentile bootstrap, 95 %',
} as const;

const side = (runs: readonly Histogram[]): SideSummary => {
  const merged = mergeHistograms(runs);
  return { count: merged.totalCount, runs: runs.length, ...percentilesMs(merged) };
};

/** Analyses n pairs of runs (plain[i] pairs with mesh[i]). Callers drop invalid runs before this. */
export function analyzePairs(
  plainRuns: readonly Histogram[],
  meshRuns: readonly Histogram[],
  options: BootstrapOptions = {},
): Analysis {
  if (plainRuns.length !== meshRuns.length || plainRuns.length === 0)
    throw new Error(`need n ≥ 1 pairs of runs, got ${plainRuns.length} plain and ${meshRuns.length} mesh`);
  const pairs: PairResult[] = plainRuns.map((p, i) => {
    const plain = percentilesMs(p);
    const mesh = percentilesMs(meshRuns[i] as Histogram);
    const diff = {} as Percentiles;
    for (const { key } of PERCENTILES) diff[key] = mesh[key] - plain[key];
    return { plain, mesh, diff };
  });
  const n = pairs.length;
  const keys = PERCENTILES.map((p) => p.key);
  // Statistic 2k: mean diff at percentile k; 2k+1: mean diff / mean plain, in %.
  const weighted = (k: number, w: Uint32Array | null) => {
    const key = keys[k] as PercentileKey;
    let d = 0;
    let base = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const wi = w ? (w[i] as number) : 1;
      if (wi === 0) continue;
      const pair = pairs[i] as PairResult;
      d += wi * pair.diff[key];
      base += wi * pair.plain[key];
      total += wi;
    }
    return { ms: d / total, pct: (d / base) * 100 };
  };
  const intervals = bootstrapIntervals(
    n,
    keys.length * 2,
    (s, w) => {
      const r = weighted(s >> 1, w);
      return s % 2 === 0 ? r.ms : r.pct;
    },
    options,
  );
  const overhead = {} as Record<PercentileKey, Overhead>;
  keys.forEach((key, k) => {
    const r = weighted(k, null);
    overhead[key] = {
      ms: r.ms,
      pct: r.pct,
      ci95: intervals[2 * k] ?? null,
      pctCi95: intervals[2 * k + 1] ?? null,
    };
  });
  return {
    plain: side(plainRuns),
    mesh: side(meshRuns),
    overhead,
    pairs,
    method: {
      ...METHOD_TEXT,
      resamples: options.resamples ?? DEFAULT_RESAMPLES,
      seed: options.seed ?? DEFAULT_SEED,
      pairs: n,
    },
  };
}

/**
 * Overhead between runs that were not paired (e.g. one cluster's mesh runs against kind-baseline's plain runs,
 * measured on another cluster at another time): difference of the means of per-run percentiles, each side
 * resampled on its own. Wider and weaker than the paired figure: drift between the two clusters is not cancelled.
 */
export function analyzeUnpaired(
  plainRuns: readonly Histogram[],
  meshRuns: readonly Histogram[],
  options: BootstrapOptions = {},
): Record<PercentileKey, Overhead> {
  const plain = plainRuns.map(percentilesMs);
  const mesh = meshRuns.map(percentilesMs);
  const n = Math.min(plain.length, mesh.length);
  const keys = PERCENTILES.map((p) => p.key);
  const mean = (xs: Percentiles[], key: PercentileKey, w?: Uint32Array) => {
    let s = 0;
    let t = 0;
    xs.forEach((x, i) => {
      const wi = w ? (w[i] as number) : 1;
      s += wi * x[key];
      t += wi;
    });
    return s / t;
  };
  // Joint resample of both sides: the first plain.length weights index plain runs, the rest mesh runs.
  const rng = seededRng(options.seed ?? DEFAULT_SEED);
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const draws = keys.map(() => ({ ms: new Float64Array(resamples), pct: new Float64Array(resamples) }));
  const wp = new Uint32Array(plain.length);
  const wm = new Uint32Array(mesh.length);
  for (let b = 0; b < resamples; b++) {
    wp.fill(0);
    wm.fill(0);
    for (let i = 0; i < plain.length; i++) {
      const j = Math.floor(rng() * plain.length);
      wp[j] = (wp[j] as number) + 1;
    }
    for (let i = 0; i < mesh.length; i++) {
      const j = Math.floor(rng() * mesh.length);
      wm[j] = (wm[j] as number) + 1;
    }
    keys.forEach((key, k) => {
      const p = mean(plain, key, wp);
      const d = mean(mesh, key, wm) - p;
      (draws[k] as { ms: Float64Array }).ms[b] = d;
      (draws[k] as { pct: Float64Array }).pct[b] = (d / p) * 100;
    });
  }
  const tail = expandedTail(n);
  const ci = (d: Float64Array): [number, number] | null => {
    if (n < 2) return null;
    d.sort();
    return [quantileSorted(d, tail), quantileSorted(d, 1 - tail)];
  };
  const out = {} as Record<PercentileKey, Overhead>;
  keys.forEach((key, k) => {
    const p = mean(plain, key);
    const d = mean(mesh, key) - p;
    const draw = draws[k] as { ms: Float64Array; pct: Float64Array };
    out[key] = { ms: d, pct: (d / p) * 100, ci95: ci(draw.ms), pctCi95: ci(draw.pct) };
  });
  return out;
}
