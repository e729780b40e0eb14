import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runChecks } from '../engine.ts';
import { istioInstallChecks } from './istio-install.ts';
import { FIXTURES, fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(istioInstallChecks);

// Outside a complete tree, a finding that rests on an object the files do not hold (the workload's
// Namespace, the istiod HelmRelease) is graded down and says so; one the files prove stays as it is.
async function graded(id: string, cwd: string, paths: string[]): Promise<string[]> {
  const checks = istioInstallChecks.filter((c) => c.id === id);
  const { findings } = await runChecks({ paths, cwd, checks, complete: false });
  return findings.map(
    (f) => `${f.object} ${f.severity}${f.message.includes('(not among the checked files') ? ' noted' : ''}`,
  );
}

test('IST146: a workload whose Namespace is not among the files is graded down, unless it opts out', async () => {
  assert.deepEqual((await graded('IST146', join(FIXTURES, 'IST146', 'fail'), ['.'])).sort(), [
    'Deployment elsewhere/edge info noted',
    'Deployment elsewhere/edge-off error',
    'Deployment ingress/ingressgateway error',
    'Deployment shop/egress error',
    'Deployment shop/egress-old error',
    'Pod mesh/gateway error',
    'Pod mesh/gateway error',
  ]);
});

test('IST175: without an istiod HelmRelease among the files the finding says it may be elsewhere', async () => {
  const dir = join(FIXTURES, 'IST175', 'fail');
  assert.deepEqual(await graded('IST175', dir, ['clusters/no-istiod/ra.yaml']), [
    'RequestAuthentication shop/jwt warning noted',
  ]);
  assert.deepEqual(await graded('IST175', dir, ['clusters/blank/ra.yaml']), [
    'RequestAuthentication shop/jwt warning',
  ]);
});
