import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runChecks } from '../engine.ts';
import { istioEffectChecks } from './istio-effect.ts';
import { FIXTURES, fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(istioEffectChecks);

// Outside a complete tree, IST157 without an istiod HelmRelease among the files cannot know the mesh
// config: the finding says the release may be elsewhere. With the release among the files the finding
// is certain and says nothing of the kind.
test('IST157: without an istiod HelmRelease among the files the finding says it may be elsewhere', async () => {
  const checks = istioEffectChecks.filter((c) => c.id === 'IST157');
  const cwd = join(FIXTURES, 'IST157', 'fail');
  const graded = async (paths: string[]) =>
    (await runChecks({ paths, cwd, checks, complete: false })).findings.map(
      (f) => `${f.object} ${f.severity}${f.message.includes('(not among the checked files') ? ' noted' : ''}`,
    );
  assert.deepEqual(await graded(['clusters/no-istiod/telemetry.yaml']), [
    'Telemetry istio-system/mesh-default warning noted',
  ]);
  // A release without meshConfig values still says where the mesh config comes from: the chart's.
  assert.deepEqual(await graded(['clusters/bare-istiod/telemetry.yaml']), [
    'Telemetry istio-system/mesh-default warning',
  ]);
  assert.deepEqual((await graded(['telemetry.yaml'])).sort(), [
    'Telemetry istio-system/logs warning',
    'Telemetry shop/mixed warning',
  ]);
});
