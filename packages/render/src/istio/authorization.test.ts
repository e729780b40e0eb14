// The mesh-wide mTLS mode (authorization.ts meshMtls): what the spec asks, and a PERMISSIVE choice
// carries the spec's reason to `meshproof check` (SEC001 accepted), a STRICT one nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DOCTOR_IGNORE } from '../suppress.ts';
import { type Obj, prometheusPod } from '../test-pods.ts';
import { portlessApp, testSpec } from '../test-support.ts';
import { APP_LABEL } from '../workload/names.ts';
import { allowPrometheus, denyAll, meshMtls } from './authorization.ts';
import { ztunnelAllows } from './test-model.ts';

test("the root namespace's PeerAuthentication holds the spec's mode, PERMISSIVE with its reason", () => {
  const strict = meshMtls(testSpec(['istio-sidecar']));
  assert.deepEqual(strict.metadata, { name: 'default', namespace: 'istio-system' });
  assert.deepEqual(strict.spec, { mtls: { mode: 'STRICT' } });
  const permissive = meshMtls(
    testSpec(['istio-ambient'], (s) => {
      s.security = { mtls: 'PERMISSIVE', mtlsReason: 'legacy clients move in Q3' };
    }),
  );
  assert.deepEqual(permissive.spec, { mtls: { mode: 'PERMISSIVE' } });
  assert.deepEqual(permissive.metadata?.annotations, {
    [DOCTOR_IGNORE]: 'SEC001: security.mtls is PERMISSIVE in the spec: legacy clients move in Q3',
  });
});

test('ambient: a namespace whose apps serve no port opens no port to Prometheus', () => {
  const platform = testSpec(['istio-ambient'], (s) => {
    s.apps.push(portlessApp('worker', ['search']));
  });
  // An empty port list would be an unset field: every port.
  const policies = [denyAll('jobs'), ...allowPrometheus(platform, 'jobs')] as Obj[];
  const worker = { namespace: 'jobs', labels: { [APP_LABEL]: 'worker' }, serviceAccount: 'worker' };
  for (const port of [80, 8080, 9000])
    assert.equal(
      ztunnelAllows(policies, { from: prometheusPod, to: worker, port, method: 'GET', path: '/metrics' }),
      false,
    );
  // Where apps serve, Prometheus gets exactly their ports.
  const store = [denyAll('store'), ...allowPrometheus(platform, 'store')] as Obj[];
  const web = { namespace: 'store', labels: { [APP_LABEL]: 'web' }, serviceAccount: 'web' };
  const scrape = (port: number) =>
    ztunnelAllows(store, { from: prometheusPod, to: web, port, method: 'GET', path: '/metrics' });
  assert.deepEqual([8080, 9000, 8081].map(scrape), [true, true, false]);
});
