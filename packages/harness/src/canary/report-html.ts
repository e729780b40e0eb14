// The canary part of the run's HTML report: per scenario a chart (weight Flagger set, the canary
// share the client saw with its 95 % band, and the client's error rate) rendered server-side to SVG
// with the benchmark report's ECharts helper, and the per-step table under it.
import { chartSvg } from '@meshproof/bench';
import type { CanaryEvidence } from './evidence.ts';

const esc = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
const pcOrDash = (x: number | null | undefined) =>
  x === null || x === undefined ? '–' : `${(x * 100).toFixed(1)} %`;
const percent = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);

/** SVG of one scenario's steps; x is the step, y percent. */
export function canaryChartSvg(e: CanaryEvidence, size = { width: 640, height: 280 }): string {
  const steps = e.steps;
  return chartSvg(
    {
      title: {
        text: `${e.app} ${e.scenario} (${e.previousVersion} → ${e.canaryVersion})`,
        textStyle: { fontSize: 13 },
      },
      legend: { top: 28, left: 0, data: ['weight set', 'canary share seen', 'errors seen'] },
      grid: { top: 60, left: 48, right: 20, bottom: 48 },
      xAxis: {
        type: 'category',
        data: steps.map((s) => `${s.phase}\n${s.weight} %`),
        axisLabel: { fontSize: 10 },
      },
      yAxis: { type: 'value', min: 0, max: 100, name: '%' },
      series: [
        // The 95 % band: an invisible base at the low bound, the band's height stacked on it.
        {
          name: 'ci-low',
          type: 'line',
          stack: 'ci',
          symbol: 'none',
          lineStyle: { opacity: 0 },
          data: steps.map((s) => percent(s.low)),
        },
        {
          name: 'ci',
          type: 'line',
          stack: 'ci',
          symbol: 'none',
          lineStyle: { opacity: 0 },
          areaStyle: { opacity: 0.25, color: '#5470c6' },
          data: steps.map((s) => percent(s.high - s.low)),
        },
        { name: 'weight set', type: 'line', step: 'middle', color: '#333', data: steps.map((s) => s.weight) },
        {
          name: 'canary share seen',
          type: 'line',
          color: '#5470c6',
          data: steps.map((s) => percent(s.share)),
        },
        {
          name: 'errors seen',
          type: 'bar',
          color: '#ee6666',
          barWidth: 8,
          data: steps.map((s) => percent(s.errorRate)),
        },
      ],
    },
    size.width,
    size.height,
  );
}

function table(e: CanaryEvidence): string {
  const rows = e.steps
    .map(
      (s) =>
        `<tr><td>${esc(s.phase)}</td><td>${s.weight} %</td><td>${s.samples}</td><td>${pcOrDash(s.share)} [${pcOrDash(s.low)}, ${pcOrDash(s.high)}]</td><td>${esc(s.status)}</td><td>${s.errors} (${pcOrDash(s.errorRate)})</td><td>${s.predictedHigh === undefined ? '' : `${pcOrDash(s.predictedLow)}..${pcOrDash(s.predictedHigh)}`}</td></tr>`,
    )
    .join('\n');
  return `<table><thead><tr><th>phase</th><th>weight set</th><th>answers</th><th>canary share [95 % CI]</th><th>judged</th><th>errors</th><th>predicted errors</th></tr></thead>\n<tbody>\n${rows}\n</tbody></table>`;
}

/** A self-contained HTML page with every canary scenario of the run. */
export function canaryReportHtml(
  runId: string,
  items: readonly { cluster: string; evidence: CanaryEvidence }[],
): string {
  const sections = items
    .map(({ cluster, evidence: e }) => {
      const problems =
        e.problems.length > 0 ? `<ul>${e.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>` : '';
      return `<section>
<h2>${esc(cluster)}: ${esc(e.app)} ${esc(e.scenario)} — ${e.passed ? 'passed' : 'FAILED'}</h2>
<p>Final phase ${esc(e.finalPhase ?? 'none')}${e.rolloutSeconds !== null ? ` after ${e.rolloutSeconds}s` : ''}; primary served ${esc(e.servingBefore)} before, ${esc(e.servingAfter)} after; revision ${esc(e.revision.slice(0, 12))}.</p>
${e.steps.length > 0 ? canaryChartSvg(e) : '<p>No client samples (no app calls this one).</p>'}
${table(e)}
${problems}
</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>meshproof e2e ${esc(runId)}: canaries</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}table{border-collapse:collapse;font-size:.85rem}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:right}</style>
</head><body><h1>Canaries of run ${esc(runId)}</h1>
${sections || '<p>No canary scenario ran.</p>'}
</body></html>
`;
}
