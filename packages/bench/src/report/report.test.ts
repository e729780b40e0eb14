// The report on result sets built by the real pipeline, checked as text and in a real browser (Debian's
// Chromium driven by playwright-core): charts drawn, nothing fetched, no URL in the page.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { readResults, writeClusterResults } from '../results/build.ts';
import type { ClusterResults } from '../results/layout.ts';
import { syntheticCluster } from '../testing/synthetic.ts';
import { defaultReportPaths, writeReport } from './write.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const skip = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is missing (apt-get install chromium, or run scripts/ci-setup.sh)`;
let dir = '';
let results: ClusterResults[] = [];
let paths = defaultReportPaths('report.html');

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshproof-report-'));
  const run = join(dir, '.bench', '20261203T080000Z');
  const sets = [
    { cluster: 'kind-baseline', mesh: 'none', delayMs: 0, pairs: 3, requests: 3000, seed: 1 },
    {
      cluster: 'kind-istio-ambient',
      mesh: 'istio-ambient',
      delayMs: 0.08,
      pairs: 4,
      requests: 3000,
      seed: 2,
      resources: true,
    },
    {
      cluster: 'kind-cilium',
      mesh: 'cilium',
      delayMs: 0.15,
      pairs: 4,
      requests: 3000,
      seed: 3,
      invalidRepetition: 2,
    },
  ];
  for (const s of sets) await writeClusterResults(join(run, s.cluster), await syntheticCluster(run, s));
  results = await readResults(join(dir, '.bench'));
  paths = defaultReportPaths(join(dir, 'report.html'));
  await writeReport(results, paths, new Date('2026-12-03T09:00:00Z'));
});
after(() => (process.env.KEEP_REPORT ? console.log(dir) : rm(dir, { recursive: true, force: true })));

test('results: layout read back from .bench/, invalid repetition left out of the analysis', () => {
  assert.deepEqual(
    results.map((r) => r.cluster),
    ['kind-baseline', 'kind-cilium', 'kind-istio-ambient'],
  );
  const cilium = results.find((r) => r.cluster === 'kind-cilium') as ClusterResults;
  assert.deepEqual(cilium.excludedRepetitions, [2]);
  assert.equal(cilium.analysis?.method.pairs, 3);
  assert.equal(cilium.runs.find((r) => r.repetition === 2 && r.side === 'mesh')?.valid, false);
  assert.equal(cilium.runs[0]?.raw, 'raw/01-plain.json');
  const ambient = results.find((r) => r.cluster === 'kind-istio-ambient') as ClusterResults;
  const p50 = ambient.analysis?.overhead.p50;
  assert.ok(p50?.ci95 && p50.ci95[0] <= 0.08 && 0.08 <= p50.ci95[1], JSON.stringify(p50));
  assert.deepEqual(
    ambient.resources.map((r) => [r.component, r.side, Math.round(r.cpuMillicoresMean)]),
    [
      ['ztunnel', 'mesh', 130],
      ['ztunnel', 'plain', 5],
    ],
  );
});

test('HTML: every section, the seed claims, no URL at all; Markdown and combined JSON beside it', async () => {
  const html = await readFile(paths.html, 'utf8');
  for (const id of [
    'overhead',
    'claims',
    'baseline',
    'spectrum',
    'resources',
    'method',
    'environment',
    'runs',
  ])
    assert.match(html, new RegExp(`<h2 id="${id}">`));
  assert.match(html, /arXiv:2411\.02267/);
  for (const claim of ['+8 %', '+166 %', '+33 %', '+99 %']) assert.ok(html.includes(claim), claim);
  // url(#…) inside the SVGs points at a clip path in the same page; any other url( would load something.
  assert.doesNotMatch(html, /https?:\/\/|<script|<link|@import|url\((?!#)/i);
  assert.match(html, /resampling unit: repetition pair/);
  assert.match(html, /invalid: 4 dropped iterations/);
  const md = await readFile(paths.markdown, 'utf8');
  assert.match(md, /^## meshproof mTLS overhead benchmark/);
  assert.match(md, /\| kind-cilium \(cilium\) \| 3 \(1 invalid left out\) \|/);
  const json = JSON.parse(await readFile(paths.json, 'utf8'));
  assert.equal(json.schema, 'meshproof.bench-report/v1');
  assert.equal(json.clusters.length, 3);
});

test('in Chromium: the charts are drawn and the page fetches nothing', {
  skip,
  timeout: 60_000,
}, async () => {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const requests: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
      requests.push(url);
      return route.abort();
    });
    await page.goto(`file://${paths.html}`);
    assert.deepEqual(requests, [], 'no request leaves the page');
    const charts = page.locator('figure svg');
    // 1 overhead chart + 3 spectra + 1 resource chart.
    assert.equal(await charts.count(), 5);
    const spectrum = page.locator('#spectrum ~ h3 + figure svg').first();
    // Each spectrum is two line series over 34 percentiles: two long paths besides axes and ticks.
    const longPaths = await spectrum.evaluate(
      (svg) =>
        [...svg.querySelectorAll('path')].filter((p) => (p.getAttribute('d') ?? '').split('L').length > 30)
          .length,
    );
    assert.equal(longPaths, 2);
    // The screenshot of a chart, decoded in the page (a data: URL, no network): count non-white pixels.
    for (const chart of [spectrum, charts.first()]) {
      const png = (await chart.screenshot()).toString('base64');
      // A string, so the page code needs no DOM types here.
      const inked = (await page.evaluate(`(async (data) => {
        const img = new Image();
        img.src = 'data:image/png;base64,' + data;
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = img.width;
        canvas.height = img.height;
        const ctx = canvas.getContext('2d');
        ctx.drawImage(img, 0, 0);
        const px = ctx.getImageData(0, 0, img.width, img.height).data;
        let n = 0;
        let colored = 0;
        for (let i = 0; i < px.length; i += 4) {
          if (px[i] < 240 || px[i + 1] < 240 || px[i + 2] < 240) n++;
          if (Math.abs(px[i] - px[i + 2]) > 60) colored++;
        }
        return { share: n / (px.length / 4), colored };
      })(${JSON.stringify(png)})`)) as { share: number; colored: number };
      assert.ok(inked.share > 0.01 && inked.share < 0.6, `chart ink share ${inked.share}`);
      assert.ok(inked.colored > 200, `series colours drawn (${inked.colored} px)`);
    }
  } finally {
    await browser.close();
  }
});
