import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runChecks } from '../engine.ts';
import { istioAnnotationChecks } from './istio-annotations.ts';
import { FIXTURES, fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(istioAnnotationChecks);

test('IST135 points to the label only for the inject annotation, which the label replaces', async () => {
  const checks = istioAnnotationChecks.filter((c) => c.id === 'IST135');
  const { findings } = await runChecks({ paths: ['.'], cwd: join(FIXTURES, 'IST135', 'fail'), checks });
  assert.deepEqual(findings.map((f) => f.message).sort(), [
    'annotation sidecar.istio.io/extraStatTags on the pod template of Deployment shop/worker is deprecated in Istio',
    'annotation sidecar.istio.io/inject on the pod template of Deployment shop/backend is deprecated in Istio: use the sidecar.istio.io/inject label',
    'annotation sidecar.istio.io/statsInclusionPrefixes on the pod template of Deployment shop/backend is deprecated in Istio',
  ]);
});
