// Edge values of the shape the main tables (schema.test.ts) leave out: one-character names in
// patterns, explicitly given defaults, and empty blocks that take every inner default.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acceptedAfter as accepted, errorsOf } from './test-errors.ts';

test('one-character parts are fine in Secret names, host names and image path components', () => {
  const platform = accepted((s) => {
    s.clusters = [{ name: 'kind-istio', mesh: 'istio-sidecar' }];
    s.git = { url: 'https://x/y', secretName: 'a' };
    s.apps[0].expose = { hostname: 'a.b' };
    s.apps[1].expose = { hostname: 'ab.c.de' };
    s.apps[0].image = 'team/my-app:1';
    s.apps[1].image = 'a.b/c-de/f_gh:1';
  });
  assert.equal(platform.git?.secretName, 'a');
  assert.equal(platform.apps[0]?.expose?.hostname, 'a.b');
});

test('memory needs its number first', () => {
  assert.deepEqual(
    errorsOf((s) => {
      s.apps[0].resources = { cpu: '1', memory: 'x128Mi' };
    }).map((e) => `${e.path}: ${e.message}`),
    ['apps[0].resources.memory: expected memory like "128Mi"'],
  );
});

test('explicit values equal to the defaults are accepted', () => {
  const platform = accepted((s) => {
    s.security = { mtls: 'STRICT' };
    s.clusters[2].cilium.encryption = 'none';
  });
  assert.equal(platform.security.mtls, 'STRICT');
  assert.equal(platform.clusters[2]?.cilium?.encryption, 'none');
});

test('empty security and observability blocks take every default', () => {
  const platform = accepted((s) => {
    s.security = {};
    s.observability = {};
  });
  assert.deepEqual(platform.security, { mtls: 'STRICT', defaultDeny: true });
  assert.deepEqual(platform.observability, { prometheus: true, grafana: false, tracing: false, logs: false });
});
