// Binomial confidence intervals for an observed share k/n. Wilson's score interval: unlike the
// textbook p̂ ± z·se it stays inside [0, 1] and keeps close to its nominal coverage for small n and
// for shares near 0 or 1, which is where canary weights (10 %, 0 %) live.

export interface Interval {
  low: number;
  high: number;
}

/** Standard normal CDF through erfc (Abramowitz & Stegun 7.1.26; absolute error below 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erfc = poly * Math.exp(-x * x);
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** z such that a two-sided interval at `level` (e.g. 0.95 → 1.96) leaves (1 - level)/2 in each tail. */
export function zFor(level: number): number {
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must be in (0, 1); got ${level}`);
  const target = 1 - (1 - level) / 2;
  let lo = 0;
  let hi = 40;
  // Bisection: the CDF is monotone, 60 halvings are far below any precision that matters here.
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Wilson score interval for k successes in n trials at the given two-sided confidence level. */
export function wilson(k: number, n: number, level = 0.95): Interval {
  if (!Number.isInteger(k) || !Number.isInteger(n) || n < 0 || k < 0 || k > n) {
    throw new RangeError(`expected integers 0 <= k <= n; got k=${k}, n=${n}`);
  }
  if (n === 0) return { low: 0, high: 1 };
  const z = zFor(level);
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At k = 0 or k = n the bound is exactly 0 or 1; rounding must not move it off.
  return {
    low: k === 0 ? 0 : Math.max(0, centre - half),
    high: k === n ? 1 : Math.min(1, centre + half),
  };
}

export const contains = (i: Interval, x: number): boolean => x >= i.low && x <= i.high;
