import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyseRollout } from './analyse.ts';
import { rolloutEvidence } from './evidence.ts';
import { canaryReportHtml } from './report-html.ts';
import { simulate } from './synthetic.ts';

test('the HTML report has an SVG chart and a table row per step, escaped text, and the verdict', () => {
  const sim = simulate({ seed: 41, weights: [10, 20, 30] });
  const obs = {
    polls: sim.polls,
    sampler: { samples: sim.samples, failures: [], answers: 0, offsetMs: 0 },
    settled: true,
  };
  const evidence = rolloutEvidence({
    scenario: 'promotion',
    app: 'backend',
    canaryVersion: 'v2',
    previousVersion: 'v1',
    revision: '0123456789abcdef',
    publishedAt: sim.polls[0]?.t ?? 0,
    fetchedAt: null,
    polls: sim.polls,
    servingBefore: 'v1',
    servingAfter: 'v2',
    analysis: analyseRollout(obs, { canaryVersion: 'v2' }),
    fault: null,
    problems: ['weight <b>'],
  });
  const html = canaryReportHtml('run-1', [{ cluster: 'kind-linkerd', evidence }]);
  assert.match(html, /<svg[^>]+width="640"/);
  assert.equal((html.match(/<tr><td>/g) ?? []).length, evidence.steps.length);
  assert.match(html, /<td>Progressing<\/td><td>20 %<\/td>/);
  assert.match(html, /kind-linkerd: backend promotion — FAILED/);
  assert.match(html, /<li>weight &lt;b&gt;<\/li>/);
  assert.match(canaryReportHtml('run-2', []), /No canary scenario ran/);
});
