// Plain-text and JSON forms of an analysis, as `meshproof bench analyze` prints them.
import { PERCENTILES } from './stats/histogram.ts';
import type { Analysis, SideSummary } from './stats/overhead.ts';

const ms = (v: number) => v.toFixed(3);
const signed = (v: number, digits: number) => `${v >= 0 ? '+' : ''}${v.toFixed(digits)}`;
const interval = (ci: [number, number] | null, digits: number) =>
  ci ? `[${signed(ci[0], digits)}, ${signed(ci[1], digits)}]` : '[no CI: one pair]';

export function formatAnalysisText(a: Analysis): string {
  const head = ['side', 'runs', 'requests', ...PERCENTILES.map((p) => `p${p.q}`)];
  const row = (name: string, s: SideSummary) => [
    name,
    String(s.runs),
    String(s.count),
    ...PERCENTILES.map((p) => ms(s[p.key])),
  ];
  const rows = [head, row('plain', a.plain), row('mesh', a.mesh)];
  const widths = head.map((_, i) => Math.max(...rows.map((r) => (r[i] as string).length)));
  const table = rows.map((r) => r.map((c, i) => c.padStart(widths[i] as number)).join('  ')).join('\n');
  const overhead = PERCENTILES.map(({ key, q }) => {
    const o = a.overhead[key];
    return `  p${String(q).padEnd(5)} ${signed(o.ms, 3).padStart(8)} ms ${interval(o.ci95, 3).padEnd(20)}  ${signed(o.pct, 1).padStart(7)} % ${interval(o.pctCi95, 1)}`;
  }).join('\n');
  return [
    `Latency per side (ms; all runs of a side pooled into one histogram):`,
    table,
    '',
    `Overhead, mesh − plain (${a.method.estimate}), 95 % CI:`,
    overhead,
    '',
    `CI: ${a.method.interval} over ${a.method.pairs} pairs; resampling unit: ${a.method.resamplingUnit}; ${a.method.resamples} resamples, seed ${a.method.seed}.`,
    '',
  ].join('\n');
}

/** The documented JSON shape: plain/mesh {count,p50,p90,p99,p999}, overhead {pXX: {ms,pct,ci95}}, ms. */
export const analysisJson = (a: Analysis) => ({
  plain: a.plain,
  mesh: a.mesh,
  overhead: a.overhead,
  pairs: a.pairs,
  method: a.method,
});
