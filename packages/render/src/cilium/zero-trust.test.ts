// What the e2e zero-trust probes are told about a Cilium cluster (zero-trust.ts); the stranger probe's
// egress is checked by ../test-egress.ts with the Cilium model.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testStrangerEgress } from '../test-egress.ts';
import { ciliumEgress } from './test-model.ts';
import { CILIUM_ACCESS_DENIED, ciliumZeroTrust } from './zero-trust.ts';

testStrangerEgress('cilium', ciliumZeroTrust, ciliumEgress);

test("refusals: Envoy's 403 `Access denied` for HTTP rules, an eBPF drop for an identity no rule admits", () => {
  assert.deepEqual(ciliumZeroTrust.denials, {
    classes: ['DENIED_L7', 'DENIED_DROP'],
    l7: [CILIUM_ACCESS_DENIED],
  });
  assert.deepEqual(
    { ...CILIUM_ACCESS_DENIED },
    {
      id: 'cilium-access-denied',
      status: 403,
      body: { startsWith: 'Access denied' },
      source: 'cilium/proxy cilium/l7policy.cc',
    },
  );
  // Mutual authentication is per rule: without default deny a plaintext client is not refused.
  assert.equal(ciliumZeroTrust.strictMtlsRefusesPlaintext, false);
  assert.deepEqual(ciliumZeroTrust.outsidePodMetadata, { labels: {}, annotations: {} });
});
