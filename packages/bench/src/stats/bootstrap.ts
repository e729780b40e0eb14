// 95 % confidence intervals for the paired overhead by bootstrap over repetition pairs.
//
// Resampling unit: one repetition pair (a plain run and the mesh run beside it in the alternating
// schedule). Samples inside a run are not independent of each other (shared connections, GC pauses, a noisy
// neighbour for the whole run), so resampling single requests would make the interval far too narrow; a pair
// is the independent unit of the experiment. Each resample draws n pairs with replacement and recomputes the
// statistic; the interval is the "expanded percentile" interval (Hesterberg, "What teachers should know about
// the bootstrap", 2015): the plain percentile interval is too narrow for small n, so its tail probability
// is taken as Φ(−√(n/(n−1))·t(n−1, 0.975)) instead of 2.5 %.
import { normalCdf, studentTQuantile } from './distributions.ts';
import { type Rng, seededRng } from './rng.ts';

export const DEFAULT_RESAMPLES = 10_000;
export const DEFAULT_SEED = 20_241_102;

export interface BootstrapOptions {
  resamples?: number;
  seed?: number;
}

/** Lower tail probability used for a two-sided 95 % expanded percentile interval with n units. */
export function expandedTail(n: number): number {
  if (n < 2) return Number.NaN;
  return normalCdf(-Math.sqrt(n / (n - 1)) * studentTQuantile(0.975, n - 1));
}

/** Type-7 quantile of an ascending array. */
export function quantileSorted(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

/**
 * Bootstraps several statistics of the same n units jointly (one resample of unit indices feeds all of
 * them). `stat(k, weights)` returns statistic k for a resample given as per-unit multiplicities.
 * Returns [lo, hi] per statistic, or null when n < 2 (no interval can be had from one pair).
 */
export function bootstrapIntervals(
  n: number,
  statistics: number,
  stat: (k: number, weights: Uint32Array) => number,
  options: BootstrapOptions = {},
): Array<[number, number] | null> {
  if (n < 2) return Array.from({ length: statistics }, () => null);
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const rng: Rng = seededRng(options.seed ?? DEFAULT_SEED);
  const draws = Array.from({ length: statistics }, () => new Float64Array(resamples));
  const weights = new Uint32Array(n);
  for (let b = 0; b < resamples; b++) {
    weights.fill(0);
    for (let i = 0; i < n; i++) {
      const j = Math.floor(rng() * n);
      weights[j] = (weights[j] as number) + 1;
    }
    for (let k = 0; k < statistics; k++) (draws[k] as Float64Array)[b] = stat(k, weights);
  }
  const tail = expandedTail(n);
  return draws.map((d) => {
    d.sort();
    return [quantileSorted(d, tail), quantileSorted(d, 1 - tail)];
  });
}
