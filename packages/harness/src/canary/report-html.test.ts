import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canaryReportHtml } from './report-html.ts';
import { promotionEvidence } from './synthetic.ts';

test('the HTML report has an SVG chart and a table row per step, escaped text, and the verdict', () => {
  const evidence = promotionEvidence({ seed: 41, weights: [10, 20, 30] }, ['weight <b>']);
  const html = canaryReportHtml('run-1', [{ cluster: 'kind-linkerd', evidence }]);
  assert.match(html, /<svg[^>]+width="640"/);
  assert.equal((html.match(/<tr><td>/g) ?? []).length, evidence.steps.length);
  assert.match(html, /<td>Progressing<\/td><td>20 %<\/td>/);
  assert.match(html, /kind-linkerd: backend promotion — FAILED/);
  assert.match(html, /<li>weight &lt;b&gt;<\/li>/);
  assert.match(canaryReportHtml('run-2', []), /No canary scenario ran/);
});
