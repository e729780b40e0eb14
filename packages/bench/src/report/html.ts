// The benchmark report: one self-contained HTML page (inline CSS and SVG, no script, no URL), a Markdown
// summary for $GITHUB_STEP_SUMMARY, and the combined JSON, all from results.json files.

import { runHistograms } from '../results/build.ts';
import type { ClusterResults } from '../results/layout.ts';
import { mergeHistograms, PERCENTILES } from '../stats/histogram.ts';
import { analyzeUnpaired, METHOD_TEXT, type Overhead } from '../stats/overhead.ts';
import { overheadChart, resourceChart, spectrumChart } from './charts.ts';
import { SEED_CLAIMS, SEED_SOURCE, SETUP_DIFFERENCES } from './claims.ts';

export const LOCAL_MESH = 'local-mtls-proxy';
export const BASELINE_MESH = 'none';

const esc = (s: unknown): string =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
const sign = (v: number, d: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(d)}`;
const ciText = (ci: [number, number] | null, d: number) =>
  ci ? `[${sign(ci[0], d)}, ${sign(ci[1], d)}]` : '[no CI]';
const msCell = (o: Overhead) => `${sign(o.ms, 3)} ms ${ciText(o.ci95, 3)}`;
const pctCell = (o: Overhead) => `${sign(o.pct, 1)} % ${ciText(o.pctCi95, 1)}`;

export const METHOD_PARAGRAPH = [
  'Each cluster serves the same backend from a namespace outside the mesh (plain) and one inside it (mesh); the k6 client runs likewise, on a different node from the server.',
  'Load is open-model (k6 constant-arrival-rate) at a fixed rate after a warm-up whose samples are discarded; a run with any dropped iteration or failed request is invalid and its repetition is left out, never averaged in.',
  'Repetitions alternate plain and mesh so slow drift of the host hits both sides; each run keeps its raw k6 output and an HDR histogram (µs, 3 significant digits).',
  `Per side the runs are pooled into one histogram for the latency figures. The overhead is the ${METHOD_TEXT.estimate}.`,
  `95 % confidence intervals: ${METHOD_TEXT.interval}; resampling unit: ${METHOD_TEXT.resamplingUnit}.`,
].join(' ');

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 16px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0 16px}th,td{border:1px solid #ccc;padding:4px 8px;text-align:right;vertical-align:top}
th:first-child,td:first-child{text-align:left}th{background:#f3f3f3}.note{background:#fff6d6;border:1px solid #e6c200;padding:8px 12px}
.invalid{color:#a00}figure{margin:8px 0}figcaption{color:#555;font-size:12px;max-width:640px}.muted{color:#666}`;

function table(head: string[], rows: string[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const name = (r: ClusterResults) => (r.cluster === r.mesh ? r.cluster : `${r.cluster} (${r.mesh})`);

function overheadSection(results: ClusterResults[]): string {
  const rows = results.map((r) => {
    const a = r.analysis;
    const excluded = r.excludedRepetitions.length
      ? ` <span class="invalid">(${r.excludedRepetitions.length} left out)</span>`
      : '';
    if (!a)
      return [
        esc(name(r)),
        `0${excluded}`,
        ...PERCENTILES.map(() => '<span class="invalid">no valid pair</span>'),
      ];
    return [
      esc(name(r)),
      `${a.method.pairs}${excluded}`,
      ...PERCENTILES.map(
        (p) =>
          `${esc(msCell(a.overhead[p.key]))}<br>${esc(pctCell(a.overhead[p.key]))}<br><span class="muted">plain ${a.plain[p.key].toFixed(3)} ms</span>`,
      ),
    ];
  });
  const withAnalysis = results.filter((r) => r.analysis);
  const chart = withAnalysis.length
    ? `<figure>${overheadChart(withAnalysis.map((r) => ({ name: r.cluster, ms: Object.fromEntries(PERCENTILES.map((p) => [p.key, r.analysis?.overhead[p.key].ms ?? 0])) })))}</figure>`
    : '';
  return `<h2 id="overhead">Overhead per mesh (mesh − plain)</h2>
<p>Mean over repetition pairs, in ms and in % of the plain value, each with its 95 % CI; the plain baseline is under each cell.</p>
${table(['cluster', 'pairs', ...PERCENTILES.map((p) => `p${p.q}`)], rows)}${chart}`;
}

function claimsSection(results: ClusterResults[]): string {
  const rows = SEED_CLAIMS.map((c) => {
    const ours = results.filter((r) => r.mesh === c.mesh && r.analysis);
    const cell = (key: 'p50' | 'p99') =>
      ours.length
        ? ours
            .map(
              (r) =>
                `${esc(pctCell(r.analysis?.overhead[key] as Overhead))}<br><span class="muted">${esc(msCell(r.analysis?.overhead[key] as Overhead))}</span>`,
            )
            .join('<br>')
        : '<span class="muted">not measured in these results</span>';
    return [esc(c.name), `+${c.pct} %`, cell('p50'), cell('p99')];
  });
  return `<h2 id="claims">Beside the published figures</h2>
<p>Quoted: ${esc(SEED_SOURCE)}.</p>
${table(['mesh', 'quoted latency increase', 'ours at p50', 'ours at p99'], rows)}
<p>What differs in setup:</p><ul>${SETUP_DIFFERENCES.map((d) => `<li>${esc(d)}</li>`).join('')}</ul>`;
}

function baselineSection(results: ClusterResults[]): string {
  const baseline = results.find((r) => r.mesh === BASELINE_MESH);
  if (!baseline) return '';
  const basePlain = runHistograms(baseline, 'plain');
  if (basePlain.length === 0) return '';
  const rows = results
    .filter((r) => r !== baseline && r.mesh !== LOCAL_MESH)
    .flatMap((r) =>
      (['plain', 'mesh'] as const).flatMap((side) => {
        const runs = runHistograms(r, side);
        if (runs.length === 0) return [];
        const o = analyzeUnpaired(basePlain, runs);
        return [
          [
            esc(`${r.cluster} ${side}`),
            ...PERCENTILES.map((p) => `${esc(msCell(o[p.key]))}<br>${esc(pctCell(o[p.key]))}`),
          ],
        ];
      }),
    );
  if (rows.length === 0) return '';
  return `<h2 id="baseline">Against ${esc(baseline.cluster)} (not paired)</h2>
<p>Each side of each cluster against the plain runs of the no-mesh cluster. These runs were not interleaved, so drift between clusters is not cancelled: the intervals (each side resampled on its own) are wider and the comparison weaker than the paired one. It matters where a mesh cannot be switched off per namespace (Cilium's WireGuard encrypts the plain side's node-to-node packets too).</p>
${table(['cluster side − baseline plain', ...PERCENTILES.map((p) => `p${p.q}`)], rows)}`;
}

function spectrumSection(results: ClusterResults[]): string {
  const figures = results.map((r) => {
    const plain = runHistograms(r, 'plain');
    const mesh = runHistograms(r, 'mesh');
    if (plain.length === 0 || mesh.length === 0)
      return `<h3>${esc(name(r))}</h3><p class="invalid">No valid runs on both sides: nothing to draw.</p>`;
    return `<h3>${esc(name(r))}</h3><figure>${spectrumChart(`${r.label}: latency by percentile`, mergeHistograms(plain), mergeHistograms(mesh))}<figcaption>Valid runs of each side pooled. Plain: ${esc(r.plainSide)} Mesh: ${esc(r.meshSide)}</figcaption></figure>`;
  });
  return `<h2 id="spectrum">Latency percentile spectrum</h2>${figures.join('\n')}`;
}

function resourceSection(results: ClusterResults[]): string {
  const parts = results.map((r) => {
    if (r.resources.length === 0)
      return `<h3>${esc(name(r))}</h3><p class="muted">No data-plane resource samples recorded for these runs.</p>`;
    const components = [...new Set(r.resources.map((x) => x.component))];
    const get = (c: string, side: 'plain' | 'mesh') =>
      r.resources.find((x) => x.component === c && x.side === side);
    const rows = components.map((c) => {
      const cell = (side: 'plain' | 'mesh') => {
        const x = get(c, side);
        return x
          ? `${x.cpuMillicoresMean.toFixed(0)} / ${x.cpuMillicoresMax.toFixed(0)} m, ${x.memoryMiBMax.toFixed(1)} MiB (${x.samples})`
          : '—';
      };
      return [esc(c), cell('plain'), cell('mesh')];
    });
    const chart = resourceChart(
      `${r.cluster}: data-plane CPU (mean)`,
      components.map((c) => ({
        component: c,
        plain: get(c, 'plain')?.cpuMillicoresMean ?? 0,
        mesh: get(c, 'mesh')?.cpuMillicoresMean ?? 0,
      })),
    );
    return `<h3>${esc(name(r))}</h3>${table(['component', 'during plain runs: CPU mean / max, memory max (samples)', 'during mesh runs'], rows)}<figure>${chart}</figure>`;
  });
  return `<h2 id="resources">Data-plane cost</h2>
<p>CPU and memory of the data-plane containers during the runs (metrics-server or cAdvisor). User-space only: kernel work (eBPF, WireGuard) does not show here.</p>${parts.join('\n')}`;
}

function runsSection(results: ClusterResults[]): string {
  return `<h2 id="runs">Runs</h2>${results
    .map((r) => {
      const rows = r.runs.map((run) => [
        String(run.repetition),
        String(run.order + 1),
        run.side,
        String(run.count),
        ...PERCENTILES.map((p) => run.percentiles[p.key].toFixed(3)),
        (run.valid
          ? 'valid'
          : `<span class="invalid">invalid: ${esc(run.invalidReasons.join('; '))}</span>`) +
          (run.warmupFailedRequests || run.warmupDroppedIterations
            ? `<br><span class="muted">warm-up: ${run.warmupFailedRequests ?? 0} failed, ${run.warmupDroppedIterations ?? 0} dropped (not counted)</span>`
            : ''),
        esc(run.raw),
      ]);
      return `<h3>${esc(name(r))}</h3>${table(['rep', 'order', 'side', 'requests', ...PERCENTILES.map((p) => `p${p.q} ms`), 'status', 'raw k6 output'], rows)}`;
    })
    .join('\n')}`;
}

function environmentSection(results: ClusterResults[]): string {
  return `<h2 id="environment">Environment</h2>${results
    .map((r) => {
      const e = r.environment;
      const rows: string[][] = [
        ['run', esc(r.runId)],
        [
          'host',
          esc(
            `${e.host.cpus} × ${e.host.cpuModel}, ${e.host.memoryGiB.toFixed(1)} GiB, ${e.host.os}, kernel ${e.host.kernel}`,
          ),
        ],
        [
          'profile',
          esc(
            `${r.profile.name}: ${r.profile.rate} req/s, ${r.profile.durationSeconds} s measured after ${r.profile.warmupSeconds} s warm-up, ${r.profile.repetitions} repetitions, ${r.profile.payloadBytes} B payload`,
          ),
        ],
        ['plain side', esc(r.plainSide)],
        ['mesh side', esc(r.meshSide)],
        ...Object.entries(e.versions).map(([k, v]) => [esc(k), esc(v)]),
        ...e.notes.map((n, i) => [i === 0 ? 'notes' : '', esc(n)]),
        ['recorded', esc(e.recordedAt)],
      ];
      return `<h3>${esc(name(r))}</h3>${table(['', ''], rows)}`;
    })
    .join('\n')}`;
}

const localBanner = (results: ClusterResults[]) =>
  results.some((r) => r.mesh === LOCAL_MESH)
    ? '<p class="note"><strong>Local floor, not a mesh result.</strong> Results labelled local measure the cost of one mTLS proxy hop pair on loopback on one machine: the floor under any sidecar mesh.</p>'
    : '';

export function renderHtml(results: ClusterResults[], generatedAt = new Date()): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>meshproof mTLS overhead benchmark</title><style>${CSS}</style></head>
<body>
<h1>meshproof mTLS overhead benchmark</h1>
<p class="muted">Generated ${esc(generatedAt.toISOString())} from ${results.length} result set(s): ${results.map((r) => esc(`${r.cluster} @ ${r.runId}`)).join(', ')}.</p>
${localBanner(results)}
${overheadSection(results)}
${claimsSection(results)}
${baselineSection(results)}
${spectrumSection(results)}
${resourceSection(results)}
<h2 id="method">Method</h2><p>${esc(METHOD_PARAGRAPH)}</p>
${environmentSection(results)}
${runsSection(results)}
</body></html>
`;
}

export function renderMarkdown(results: ClusterResults[]): string {
  const lines = ['## meshproof mTLS overhead benchmark', ''];
  if (results.some((r) => r.mesh === LOCAL_MESH))
    lines.push(
      '> **Local floor, not a mesh result:** `local` measures one mTLS proxy hop pair on loopback.',
      '',
    );
  lines.push(
    `| cluster | pairs | ${PERCENTILES.map((p) => `p${p.q} overhead`).join(' | ')} |`,
    `|---|---|${PERCENTILES.map(() => '---').join('|')}|`,
  );
  for (const r of results) {
    const a = r.analysis;
    const cells = PERCENTILES.map((p) =>
      a
        ? `${msCell(a.overhead[p.key])}, ${pctCell(a.overhead[p.key])} (plain ${a.plain[p.key].toFixed(3)} ms)`
        : 'no valid pair',
    );
    const excluded = r.excludedRepetitions.length
      ? ` (${r.excludedRepetitions.length} invalid left out)`
      : '';
    lines.push(`| ${name(r)} | ${a?.method.pairs ?? 0}${excluded} | ${cells.join(' | ')} |`);
  }
  lines.push(
    '',
    `Quoted (${SEED_SOURCE}): ${SEED_CLAIMS.map((c) => `${c.name} +${c.pct} %`).join(', ')}; setup differs, see the HTML report.`,
  );
  lines.push('', `95 % CIs: ${METHOD_TEXT.interval}; resampling unit: ${METHOD_TEXT.resamplingUnit}.`, '');
  return lines.join('\n');
}

export const REPORT_SCHEMA = 'meshproof.bench-report/v1';

export const combinedJson = (results: ClusterResults[], generatedAt = new Date()) => ({
  schema: REPORT_SCHEMA,
  generatedAt: generatedAt.toISOString(),
  seed: { source: SEED_SOURCE, claims: SEED_CLAIMS, setupDifferences: SETUP_DIFFERENCES },
  method: METHOD_PARAGRAPH,
  clusters: results,
});
