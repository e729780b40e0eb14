import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canaryPoll, rolloutOver } from './canary-status.ts';

test('a Canary status becomes a poll; a Canary without status is Pending; junk is refused', () => {
  const json = JSON.stringify({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    status: { phase: 'Progressing', canaryWeight: 20, failedChecks: 1, iterations: 0 },
  });
  assert.deepEqual(canaryPoll(json, 5), {
    t: 5,
    phase: 'Progressing',
    weight: 20,
    failedChecks: 1,
    iterations: 0,
  });
  assert.deepEqual(canaryPoll('{"kind":"Canary"}', 1), { t: 1, phase: 'Pending', weight: 0 });
  assert.throws(() => canaryPoll('error: not found', 1), /printed no JSON: error: not found/);
  assert.throws(() => canaryPoll('{"kind":"Deployment"}', 1), /expected a Canary, got Deployment/);
});

test('a rollout is over only after Progressing, a terminal phase and the tail', () => {
  const p = (t: number, phase: string) => ({ t, phase, weight: 0 });
  // Succeeded from the previous rollout does not count.
  assert.equal(rolloutOver([p(0, 'Succeeded'), p(1, 'Succeeded')], 0), false);
  assert.equal(rolloutOver([p(0, 'Succeeded'), p(1, 'Progressing'), p(2, 'Failed')], 5), false);
  assert.equal(
    rolloutOver([p(0, 'Succeeded'), p(1, 'Progressing'), p(2, 'Failed'), p(8, 'Failed')], 5),
    true,
  );
  assert.equal(rolloutOver([p(1, 'Progressing'), p(2, 'Promoting'), p(3, 'Succeeded')], 0), true);
});
