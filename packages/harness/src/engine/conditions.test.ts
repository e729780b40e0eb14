import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conditionState, describeCondition } from './conditions.ts';

const ks = (status: string, generation = 1, observedGeneration = 1) => ({
  metadata: { generation },
  status: {
    observedGeneration,
    conditions: [
      {
        type: 'Ready',
        status,
        reason: 'HealthCheckFailed',
        message: 'timeout waiting for: [Deployment/shop/backend status: InProgress]',
      },
    ],
  },
});

test('Ready counts only when True for the current generation', () => {
  assert.equal(conditionState(undefined, 'Ready'), 'missing');
  assert.equal(conditionState({}, 'Ready'), 'unmet');
  assert.equal(conditionState(ks('False'), 'Ready'), 'unmet');
  assert.equal(conditionState(ks('True', 2, 1), 'Ready'), 'stale');
  assert.equal(conditionState(ks('True'), 'Ready'), 'met');
});

test('the description names the status, reason and message', () => {
  assert.equal(
    describeCondition(ks('False'), 'Ready'),
    'Ready=False (HealthCheckFailed): timeout waiting for: [Deployment/shop/backend status: InProgress]',
  );
  assert.equal(describeCondition(undefined, 'Ready'), 'the object does not exist');
  assert.equal(describeCondition({ status: {} }, 'Available'), 'no Available condition yet');
});
