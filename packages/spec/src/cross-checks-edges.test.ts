// Cross-field rules at edges cross-checks.test.ts leaves out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorsOf } from './test-errors.ts';

test('an istio block on a sidecar cluster is refused once, not also read as an ambient waypoint', () => {
  assert.deepEqual(
    errorsOf((s) => {
      s.clusters[1] = { name: 'kind-istio-sidecar', mesh: 'istio-sidecar', istio: { waypoint: false } };
    }).map((e) => `${e.path}: ${e.message}`),
    [`clusters[1].istio: only allowed when mesh is "istio-ambient"; this cluster's mesh is "istio-sidecar"`],
  );
});

test('a repeated version name points at its first use', () => {
  assert.deepEqual(
    errorsOf((s) => {
      s.apps[1].versions[1].name = 'v1';
    }).map((e) => `${e.path}: ${e.message}`),
    ['apps[1].versions[1].name: version name "v1" is already used by apps[1].versions[0].name'],
  );
});

test('the L7 rule names the first call with methods or paths, also when it is the first call', () => {
  assert.deepEqual(
    errorsOf((s) => {
      s.clusters[1].istio.waypoint = false;
    }).map((e) => e.path),
    ['apps[0].calls[0]'],
  );
});
