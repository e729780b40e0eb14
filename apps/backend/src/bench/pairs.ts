// Figures from alternating rounds: each backend round is compared with the bare round next to it,
// so drift on a shared machine (other work starting or stopping) cancels within a pair.

export type RoundFigures = { rps: number; cpuUsPerRequest: number };
export type Pair = { bare: RoundFigures; app: RoundFigures };
export type Spread = { median: number; min: number; max: number };
export type PairSummary = {
  /** backend req/s ÷ bare req/s */
  throughput: Spread;
  /** bare CPU per request ÷ backend CPU per request: the share of bare capacity the backend keeps. */
  capacity: Spread;
  appCpuUs: Spread;
  bareCpuUs: Spread;
};

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN };
  const mid = Math.floor(n / 2);
  const median =
    n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[n - 1] as number };
}

export function summarizePairs(pairs: readonly Pair[]): PairSummary {
  return {
    throughput: spread(pairs.map((p) => p.app.rps / p.bare.rps)),
    capacity: spread(pairs.map((p) => p.bare.cpuUsPerRequest / p.app.cpuUsPerRequest)),
    appCpuUs: spread(pairs.map((p) => p.app.cpuUsPerRequest)),
    bareCpuUs: spread(pairs.map((p) => p.bare.cpuUsPerRequest)),
  };
}

export const formatSpread = (s: Spread, digits = 2, unit = '×'): string =>
  `${s.median.toFixed(digits)}${unit} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
