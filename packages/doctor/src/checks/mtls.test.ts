// SEC001 on the platform's own files: a mesh- or namespace-wide PeerAuthentication that accepts
// plaintext is reported even when no namespace it governs is among the checked files, and meshproof's
// accepted PERMISSIVE (the render's suppression with the spec's reason) stays accepted.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runChecks } from '../engine.ts';
import { mtlsChecks } from './mtls.ts';
import { securityChecks } from './security.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

const DIR = join(import.meta.dirname, '..', 'false-alarms', 'peer-auth');
const sec001 = securityChecks.filter((c) => c.id === 'SEC001');

test('a weak mesh-wide or namespace-wide PeerAuthentication is SEC001 on its own', async () => {
  const r = await runChecks({ paths: ['weak.yaml'], cwd: DIR, checks: sec001 });
  assert.deepEqual(
    r.findings.map((f) => `${f.line}:${f.col} ${f.severity} ${f.object}`),
    ['6:11 error PeerAuthentication istio-system/default', '13:5 error PeerAuthentication payments/default'],
  );
  assert.match(r.findings[0]?.message ?? '', /mesh-wide \(root namespace\) with mtls.mode DISABLE/);
  assert.match(r.findings[1]?.message ?? '', /namespace-wide in payments with mtls.mode PERMISSIVE/);
});

test('PERMISSIVE accepted with a reason stays accepted; STRICT and workload exceptions are quiet', async () => {
  const r = await runChecks({ paths: ['accepted.yaml'], cwd: DIR, checks: sec001 });
  assert.deepEqual(r.findings, []);
  assert.deepEqual(
    r.accepted.map((f) => `${f.object}: ${f.reason}`),
    [
      'PeerAuthentication istio-system/default: security.mtls is PERMISSIVE in the spec: migrating clients from outside the mesh',
    ],
  );
});

// mtls.ts's own checks on their fixtures.
fixtureSuite(mtlsChecks);
