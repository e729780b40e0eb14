// What the e2e zero-trust probes are told about an Istio cluster, sidecar or ambient (zero-trust.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { meshPlugin } from '../meshes.ts';
import { testSpec } from '../test-support.ts';
import { ambientZeroTrust, ENVOY_RBAC, sidecarZeroTrust } from './zero-trust.ts';

test("refusals: Envoy RBAC's 403 `RBAC: access denied`, or a closed/reset connection; never a silent drop", () => {
  assert.deepEqual(
    { ...ENVOY_RBAC },
    {
      id: 'envoy-rbac',
      status: 403,
      body: { startsWith: 'RBAC: access denied' },
      source: 'envoyproxy/envoy source/extensions/filters/http/rbac/rbac_filter.cc',
    },
  );
  for (const facts of [sidecarZeroTrust, ambientZeroTrust]) {
    assert.deepEqual(facts.denials, { classes: ['DENIED_L7', 'DENIED_RESET'], l7: [ENVOY_RBAC] });
    // PeerAuthentication STRICT refuses plaintext without any AuthorizationPolicy.
    assert.equal(facts.strictMtlsRefusesPlaintext, true);
  }
});

test('a probe pod stays out of the mesh by the pod-level opposite of what enrols its namespace', () => {
  const enrolment = (mesh: 'istio-sidecar' | 'istio-ambient') => {
    const platform = testSpec([mesh]);
    const cluster = platform.clusters[0];
    assert.ok(cluster);
    return meshPlugin(mesh).namespaceMetadata({ platform, cluster }, 'store');
  };
  assert.equal(enrolment('istio-sidecar').labels['istio-injection'], 'enabled');
  // The pod label beats the namespace's injection label.
  assert.deepEqual(sidecarZeroTrust.outsidePodMetadata, {
    labels: { 'sidecar.istio.io/inject': 'false' },
    annotations: {},
  });
  assert.equal(enrolment('istio-ambient').labels['istio.io/dataplane-mode'], 'ambient');
  assert.deepEqual(ambientZeroTrust.outsidePodMetadata, {
    labels: { 'istio.io/dataplane-mode': 'none' },
    annotations: {},
  });
});
