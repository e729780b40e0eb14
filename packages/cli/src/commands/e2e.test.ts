import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCaptured } from '../test-io.ts';

const repoConfig = fileURLToPath(new URL('../../../../meshproof.config.ts', import.meta.url));

test('e2e --plan lists the steps and exits 0; an unknown --cluster exits 2 with the choices', async () => {
  const plan = await runCaptured(['e2e', '--plan', '--config', repoConfig, '--cluster', 'kind-cilium']);
  assert.equal(plan.code, 0);
  assert.match(plan.stdout, /\[kind-cilium\] before Flux, for cilium/);
  assert.doesNotMatch(plan.stdout, /kind-baseline/);
  const bad = await runCaptured(['e2e', '--plan', '--config', repoConfig, '--cluster', 'kind-cilum']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /no cluster named "kind-cilum" \(did you mean "kind-cilium"\?\)/);
});
