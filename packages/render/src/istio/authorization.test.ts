// The mesh-wide mTLS mode (authorization.ts meshMtls): what the spec asks, and a PERMISSIVE choice
// carries the spec's reason to `meshproof check` (SEC001 accepted), a STRICT one nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DOCTOR_IGNORE } from '../suppress.ts';
import { testSpec } from '../test-support.ts';
import { meshMtls } from './authorization.ts';

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
