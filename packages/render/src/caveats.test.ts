import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validatePlatform } from '@meshproof/spec';
import { formatCaveat, renderCaveats } from './caveats.ts';
import { registeredMeshes, testSpec } from './test-support.ts';

const defaultPlatform = async () => {
  const { default: spec } = await import('../../../meshproof.config.ts');
  const result = validatePlatform(spec);
  assert.ok(result.ok);
  return result.platform;
};

test('the default spec: every field a mesh cannot render is reported against its cluster', async () => {
  const got = renderCaveats(await defaultPlatform()).map((c) => `${c.cluster} ${c.path}`);
  assert.deepEqual(got, [
    'kind-baseline apps[0].calls[0]',
    'kind-baseline apps[0].calls[1]',
    'kind-baseline apps[0].resilience.timeoutMs',
    'kind-baseline apps[1].resilience.timeoutMs',
    'kind-baseline apps[1].resilience.retries',
    'kind-baseline apps[1].resilience.circuitBreaker',
    'kind-baseline apps[1].resilience.outlierDetection',
    'kind-baseline apps[1].canary.stepWeight',
    'kind-baseline apps[2].routes',
    'kind-baseline apps[2].resilience.timeoutMs',
    'kind-istio-ambient apps[1].resilience.retries',
    'kind-istio-sidecar apps[1].resilience.circuitBreaker.maxConnections',
    'kind-linkerd apps[1].resilience.circuitBreaker',
    'kind-linkerd apps[1].resilience.outlierDetection',
    'kind-cilium apps[1].resilience.retries',
    'kind-cilium apps[1].resilience.circuitBreaker',
    'kind-cilium apps[1].resilience.outlierDetection',
  ]);
});

test('an app using only what every mesh renders has no caveats anywhere', () => {
  const platform = testSpec(registeredMeshes(), (spec) => {
    for (const app of spec.apps) {
      // A canary on the baseline is blue/green, itself a caveat.
      delete app.canary;
      app.resilience = {};
      app.routes = [];
      app.versions = app.versions.map((v, i) => ({ ...v, weight: i === 0 ? 100 : 0 }));
      for (const call of app.calls ?? []) {
        delete call.methods;
        delete call.paths;
      }
    }
  });
  assert.deepEqual(renderCaveats(platform), []);
});

test('ambient without a waypoint reports routes and timeouts as needing one', () => {
  const platform = testSpec(['istio-ambient'], (spec) => {
    const cluster = spec.clusters[0];
    if (cluster) cluster.istio = { waypoint: false };
    for (const app of spec.apps) {
      app.calls = [];
      app.routes = [];
      app.versions = app.versions.map((v, i) => ({ ...v, weight: i === 0 ? 100 : 0 }));
      app.resilience = { timeoutMs: 1000 };
    }
  });
  const lines = renderCaveats(platform).map(formatCaveat);
  assert.ok(lines.length > 0);
  for (const line of lines)
    assert.match(
      line,
      /^warning: apps\[\d\]\.resilience\.timeoutMs is not applied on .* \(istio-ambient\): .*waypoint/,
    );
});
