// Charts rendered on the server to inline SVG with Apache ECharts' SSR renderer: no script, no network
// needed to view them.
import * as echarts from 'echarts';
import { type Histogram, PERCENTILES, percentileMs } from '../stats/histogram.ts';

const WIDTH = 640;
const HEIGHT = 320;
const COLORS = { plain: '#4c72b0', mesh: '#dd8452' };

/** One ECharts option rendered to inline SVG; other reports (the e2e canary report) use it too. */
export function svg(option: echarts.EChartsCoreOption, width = WIDTH, height = HEIGHT): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({ animation: false, backgroundColor: '#ffffff', ...option });
  const out = chart.renderToSVGString();
  chart.dispose();
  // Inline SVG in HTML needs no namespace declarations; dropping them keeps the page free of any URL.
  return out.replace(/ xmlns(:xlink)?="[^"]*"/g, '');
}

/** Percentiles from p50 to p99.99, evenly spaced on the log(1/(1−p)) axis. */
const SPECTRUM = Array.from({ length: 34 }, (_, i) => 100 * (1 - 10 ** (-(3 + i) / 10)));

const percentileLabel = (x: number): string => {
  const p = 100 * (1 - 1 / x);
  return `p${Number(p.toPrecision(6))}`;
};

/** Latency by percentile on a log 1/(1−p) axis (HdrHistogram's "percentile spectrum"), plain vs mesh. */
export function spectrumChart(title: string, plain: Histogram, mesh: Histogram): string {
  const series = (name: 'plain' | 'mesh', h: Histogram) => ({
    name,
    type: 'line',
    showSymbol: false,
    lineStyle: { width: 2, color: COLORS[name] },
    itemStyle: { color: COLORS[name] },
    data: SPECTRUM.map((p) => [1 / (1 - p / 100), percentileMs(h, p)]),
  });
  return svg({
    title: { text: title, left: 'center', textStyle: { fontSize: 13 } },
    legend: { top: 24, data: ['plain', 'mesh'] },
    grid: { left: 64, right: 24, top: 60, bottom: 48 },
    xAxis: {
      type: 'log',
      min: 2,
      max: 10_000,
      name: 'percentile',
      nameLocation: 'middle',
      nameGap: 28,
      axisLabel: { formatter: (v: number) => percentileLabel(v) },
    },
    yAxis: { type: 'value', name: 'latency (ms)', nameLocation: 'middle', nameGap: 44 },
    series: [series('plain', plain), series('mesh', mesh)],
  });
}

/** Overhead (mesh − plain, ms) at each reported percentile, one bar group per cluster. */
export function overheadChart(rows: Array<{ name: string; ms: Record<string, number> }>): string {
  return svg(
    {
      title: {
        text: 'Overhead (mesh − plain) in ms, mean over pairs',
        left: 'center',
        textStyle: { fontSize: 13 },
      },
      legend: { top: 24 },
      grid: { left: 64, right: 24, top: 60, bottom: 40 },
      xAxis: { type: 'category', data: PERCENTILES.map((p) => `p${p.q}`) },
      yAxis: { type: 'value', name: 'ms', nameLocation: 'middle', nameGap: 44 },
      series: rows.map((r) => ({
        name: r.name,
        type: 'bar',
        data: PERCENTILES.map((p) => r.ms[p.key] ?? 0),
      })),
    },
    WIDTH,
    HEIGHT,
  );
}

/** Data-plane CPU (mean, millicores) per component and side. */
export function resourceChart(
  title: string,
  rows: Array<{ component: string; plain: number; mesh: number }>,
): string {
  return svg({
    title: { text: title, left: 'center', textStyle: { fontSize: 13 } },
    legend: { top: 24, data: ['plain', 'mesh'] },
    grid: { left: 64, right: 24, top: 60, bottom: 64 },
    xAxis: { type: 'category', data: rows.map((r) => r.component), axisLabel: { rotate: 15 } },
    yAxis: { type: 'value', name: 'CPU (millicores)', nameLocation: 'middle', nameGap: 44 },
    series: (['plain', 'mesh'] as const).map((side) => ({
      name: side,
      type: 'bar',
      itemStyle: { color: COLORS[side] },
      data: rows.map((r) => r[side]),
    })),
  });
}
