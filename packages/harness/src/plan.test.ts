import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validatePlatform } from '@meshproof/spec';
import { validSpec } from '../../spec/src/fixture.ts';
import { e2ePlan, formatPlan } from './plan.ts';

test('the plan covers every cluster, pre-installs Cilium only where it is the CNI, and runs canaries', () => {
  const result = validatePlatform(validSpec());
  assert.ok(result.ok);
  const steps = e2ePlan(result.platform);
  assert.deepEqual(
    [...new Set(steps.map((s) => s.cluster))],
    ['kind-baseline', 'kind-istio-ambient', 'kind-cilium'],
  );
  const ciliumSteps = steps.filter((s) => s.title.startsWith('install Cilium'));
  assert.deepEqual(
    ciliumSteps.map((s) => s.cluster),
    ['kind-cilium'],
  );
  assert.equal(steps.filter((s) => s.title.startsWith('Flagger canary for backend')).length, 3);
  assert.match(
    formatPlan(steps),
    /kind create cluster --name kind-cilium --config clusters\/kind-cilium\/kind\.yaml/,
  );
});
