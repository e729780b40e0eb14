import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyseRollout } from './analyse.ts';
import { canaryMarkdown, rolloutEvidence } from './evidence.ts';
import { verdicts } from './rollout-task.ts';
import { observed, simulate } from './synthetic.ts';

test('healthy promotion with an honest mesh: no problems; evidence and table carry every step', () => {
  const obs = observed(simulate({ seed: 31, weights: [10, 20, 30, 40, 50] }));
  const a = analyseRollout(obs, { canaryVersion: 'v2' });
  const problems = verdicts({ scenario: 'promotion', previousVersion: 'v1', canaryVersion: 'v2' }, a, obs);
  assert.deepEqual(problems, []);
  const e = rolloutEvidence({
    scenario: 'promotion',
    app: 'backend',
    canaryVersion: 'v2',
    previousVersion: 'v1',
    revision: 'abc',
    publishedAt: obs.polls[0]?.t ?? 0,
    fetchedAt: (obs.polls[0]?.t ?? 0) + 4000,
    polls: obs.polls,
    servingBefore: 'v1',
    servingAfter: 'v2',
    analysis: a,
    fault: null,
    problems,
  });
  assert.equal(e.passed, true);
  assert.equal(e.fluxFetchSeconds, 4);
  assert.equal(e.finalPhase, 'Succeeded');
  assert.deepEqual(JSON.parse(JSON.stringify(e)), e); // plain JSON, no NaN
  const md = canaryMarkdown('kind-linkerd', e);
  assert.match(
    md,
    /\| Progressing \| 10 % \| \d+ \| \d+\.\d % \[\d+\.\d %, \d+\.\d %\] \| ok \| 0 \(0\.0 %\) \|/,
  );
  assert.match(md, /kind-linkerd: backend promotion v1 → v2: passed \(final phase Succeeded after \d+s\)/);
});

test('promotion: a mesh ignoring weights and lost requests are both reported', () => {
  const sim = simulate({ seed: 32, weights: [10, 20, 30, 40, 50], route: () => 0.5, canaryErrorRate: 0.01 });
  const obs = observed(sim);
  const problems = verdicts(
    { scenario: 'promotion', previousVersion: 'v1', canaryVersion: 'v2' },
    analyseRollout(obs, { canaryVersion: 'v2' }),
    obs,
  );
  assert.ok(
    problems.some((p) => /^split: weight 10 %/.test(p)),
    problems.join('\n'),
  );
  assert.ok(
    problems.some((p) => /lost requests during a healthy promotion: \d+ backend calls failed/.test(p)),
  );
});

test('rollback: honest blast radius passes; more failures than the weights allow fail', () => {
  const base = { weights: [10, 10, 10], canaryErrorRate: 0.5, rps: 40 };
  const honest = observed(simulate({ seed: 33, ...base }));
  const fault = { errorRate: 0.5, retries: 0 };
  const v = { scenario: 'rollback' as const, previousVersion: 'v1', canaryVersion: 'v2' };
  assert.deepEqual(verdicts(v, analyseRollout(honest, { canaryVersion: 'v2', fault }), honest), []);
  // The primary failing too is a finding of its own.
  const sick = observed(simulate({ seed: 35, ...base }));
  for (const s of sick.sampler.samples.slice(0, 3)) Object.assign(s, { version: 'v1', ok: false });
  assert.match(
    verdicts(v, analyseRollout(sick, { canaryVersion: 'v2', fault }), sick).join('\n'),
    /the primary \(v1\) answered 3 calls with an error/,
  );
  const leaky = observed(simulate({ seed: 34, ...base, route: (w) => (w > 0 ? 0.5 : 0) }));
  const problems = verdicts(v, analyseRollout(leaky, { canaryVersion: 'v2', fault }), leaky);
  assert.ok(
    problems.some((p) => /blast radius .* is above the 5\.00 % the weights predict/.test(p)),
    problems.join('\n'),
  );
});
