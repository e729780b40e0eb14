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
    ['all clusters', 'kind-baseline', 'kind-istio-ambient', 'kind-cilium'],
  );
  const preFlux = steps.filter((s) => s.title.startsWith('before Flux'));
  assert.deepEqual(
    preFlux.map((s) => s.cluster),
    ['kind-cilium'],
  );
  assert.match(
    preFlux[0]?.commands.join('\n') ?? '',
    /helm install cilium cilium .*-f clusters\/kind-cilium\/infrastructure\/controllers\/cilium-values\.yaml/,
  );
  assert.equal(steps.filter((s) => s.title.startsWith('Flagger canary for backend')).length, 3);
  assert.match(
    formatPlan(steps),
    /kind create cluster --name kind-cilium --config clusters\/kind-cilium\/kind\.yaml/,
  );
});
