import assert from 'node:assert/strict';
import { test } from 'node:test';
import { knownDenySignatures, meshPlugin } from '@meshproof/render';
import { MESHES } from '@meshproof/spec';
import { type Classification, classify, judge } from './classify.ts';
import type { RequestEvidence } from './evidence.ts';

const SIGNATURES = knownDenySignatures();

const answered = (
  status: number,
  body: string,
  headers: RequestEvidence['headers'] = {},
): RequestEvidence => ({
  method: 'GET',
  url: 'http://backend.shop.svc.cluster.local:8080/',
  connected: true,
  phase: 'done',
  status,
  headers,
  body,
  bodyBytes: Buffer.byteLength(body),
  timings: { totalMs: 5 },
});

const failed = (connected: boolean, code: string, message = code): RequestEvidence => ({
  method: 'GET',
  url: 'http://backend.shop.svc.cluster.local:8080/',
  connected,
  phase: connected ? 'response' : 'connect',
  headers: {},
  body: '',
  bodyBytes: 0,
  error: { code, message },
  timings: { totalMs: 2000 },
});

const outcome = (e: RequestEvidence) => {
  const c = classify(e, SIGNATURES);
  return c.signature ? `${c.outcome}/${c.signature}` : c.outcome;
};

test('answers: the app (any status, its header), a proxy refusal by signature, 5xx, the rest', () => {
  assert.equal(outcome(answered(200, '{"service":"backend"}')), 'ALLOWED');
  assert.equal(outcome(answered(404, '{"error":"not found"}', { 'x-app-version': 'v1' })), 'ALLOWED');
  assert.equal(outcome(answered(403, 'forbidden by the app', { 'x-app-version': 'v1' })), 'ALLOWED');
  assert.equal(outcome(answered(403, 'RBAC: access denied')), 'DENIED_L7/envoy-rbac');
  assert.equal(outcome(answered(403, '')), 'DENIED_L7/linkerd-forbidden');
  assert.equal(outcome(answered(404, '')), 'DENIED_L7/linkerd-no-route');
  assert.equal(outcome(answered(403, 'Access denied\r\n')), 'DENIED_L7/cilium-access-denied');
  assert.equal(
    outcome(answered(503, 'upstream connect error or disconnect/reset before headers')),
    'AMBIGUOUS_5XX',
  );
  assert.equal(outcome(answered(403, 'Forbidden by someone else')), 'ERROR');
  assert.equal(outcome(answered(404, 'not found')), 'ERROR');
});

test('no answer: reset after connect, timeout, refused, DNS', () => {
  assert.equal(outcome(failed(true, 'ECONNRESET', 'read ECONNRESET')), 'DENIED_RESET');
  assert.equal(outcome(failed(true, 'ECONNRESET', 'socket hang up')), 'DENIED_RESET');
  assert.equal(outcome(failed(false, 'ETIMEDOUT')), 'DENIED_DROP');
  assert.equal(outcome(failed(true, 'ETIMEDOUT')), 'DENIED_DROP');
  assert.equal(outcome(failed(false, 'ECONNREFUSED')), 'ERROR');
  // Reset so soon after the handshake that Node reports it from connect().
  assert.equal(outcome(failed(false, 'ECONNRESET', 'connect ECONNRESET 10.96.0.12:8080')), 'DENIED_RESET');
  assert.equal(outcome(failed(false, 'EPIPE')), 'ERROR');
  assert.equal(outcome(failed(false, 'EAI_AGAIN')), 'ERROR');
  assert.match(classify(failed(false, 'ENOTFOUND'), SIGNATURES).reason, /does not resolve/);
});

const c = (outcome: Classification['outcome'], signature?: string): Classification => ({
  outcome,
  reason: 'r',
  ...(signature ? { signature } : {}),
});

// What each mesh's own refusals are, as its render folder declares them.
const ACCEPTED: Record<string, string[]> = {
  none: ['DENIED_DROP'],
  'istio-ambient': ['DENIED_L7/envoy-rbac', 'DENIED_RESET'],
  'istio-sidecar': ['DENIED_L7/envoy-rbac', 'DENIED_RESET'],
  linkerd: ['DENIED_L7/linkerd-forbidden', 'DENIED_L7/linkerd-no-route', 'DENIED_RESET'],
  cilium: ['DENIED_L7/cilium-access-denied', 'DENIED_DROP'],
};

test("a deny passes only with one of the mesh's own refusals", () => {
  const candidates = [
    c('DENIED_DROP'),
    c('DENIED_RESET'),
    ...SIGNATURES.map((s) => c('DENIED_L7', s.id)),
    c('AMBIGUOUS_5XX'),
    c('ERROR'),
    c('ALLOWED'),
  ];
  assert.deepEqual(Object.keys(ACCEPTED).sort(), [...MESHES].sort());
  for (const mesh of MESHES) {
    const { denials } = meshPlugin(mesh).zeroTrust;
    const passing = candidates
      .filter((x) => judge('deny', x, denials, true).pass)
      .map((x) => (x.signature ? `${x.outcome}/${x.signature}` : x.outcome))
      .sort();
    assert.deepEqual(passing, [...(ACCEPTED[mesh] ?? [])].sort(), mesh);
  }
});

test('a timeout counts as a denial only once the target was reached; allow wants ALLOWED only', () => {
  const { denials } = meshPlugin('cilium').zeroTrust;
  assert.equal(judge('deny', c('DENIED_DROP'), denials, true).pass, true);
  const unproven = judge('deny', c('DENIED_DROP'), denials, false);
  assert.equal(unproven.pass, false);
  assert.match(unproven.reason, /proves nothing before an allow probe/);
  assert.equal(judge('allow', c('ALLOWED'), denials, false).pass, true);
  for (const other of ['DENIED_DROP', 'DENIED_L7', 'AMBIGUOUS_5XX', 'ERROR'] as const) {
    assert.equal(judge('allow', c(other), denials, true).pass, false, other);
  }
  assert.match(
    judge('deny', c('DENIED_L7', 'envoy-rbac'), meshPlugin('linkerd').zeroTrust.denials, true).reason,
    /not this mesh's proxy/,
  );
});
