// What the e2e zero-trust probes are told about a cluster without a mesh (zero-trust.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testStrangerEgress } from '../test-egress.ts';
import { networkPolicyEgress } from './test-model.ts';
import { baselineZeroTrust } from './zero-trust.ts';

testStrangerEgress('none', baselineZeroTrust, networkPolicyEgress);

test('a refusal is a silent drop (kindnet drops the first packet); no proxy answers, none enforces L7', () => {
  assert.deepEqual(baselineZeroTrust.denials, { classes: ['DENIED_DROP'], l7: [] });
  // No mesh: STRICT mTLS means nothing, and there is no enrolment to opt a pod out of.
  assert.equal(baselineZeroTrust.strictMtlsRefusesPlaintext, false);
  assert.deepEqual(baselineZeroTrust.outsidePodMetadata, { labels: {}, annotations: {} });
});
