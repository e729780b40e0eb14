// What the e2e zero-trust probes are told about a Cilium cluster (zero-trust.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROBE_NAMES } from '@meshproof/spec';
import { LOADTESTER_PORT } from '../flagger/loadtester.ts';
import { appPods, loadtesterPod, type Obj, prometheusPod, strangerPod } from '../test-pods.ts';
import { renderTestCluster } from '../test-support.ts';
import { ciliumEgress } from './test-model.ts';
import { CILIUM_ACCESS_DENIED, ciliumZeroTrust } from './zero-trust.ts';

const stranger = strangerPod('store');

function cluster(defaultDeny: boolean) {
  const w = renderTestCluster<Obj>('cilium', (s) => {
    s.security = { defaultDeny };
  });
  const targets = w.platform.apps.filter((a) => a.port !== undefined);
  const probeObjects = (only = targets) =>
    (ciliumZeroTrust.probeCallerObjects?.(
      { platform: w.platform, cluster: w.cluster },
      { name: PROBE_NAMES.stranger, namespace: stranger.namespace },
      only,
    ) ?? []) as Obj[];
  return { ...w, apps: appPods(w.all), probeObjects };
}

test("the stranger probe's own namespace lets it out to every target port, nothing else", () => {
  const { all, apps, probeObjects } = cluster(true);
  const withProbe = [...all, ...probeObjects()];
  const targetPods = apps.filter((p) => p.port !== undefined);
  assert.ok(targetPods.length >= 3);
  for (const to of targetPods) {
    const port = to.port as number;
    // Without the probe's objects the namespace's default deny stops it before the callee decides.
    assert.equal(ciliumEgress(all, stranger, to, port), false, `${to.name} without the probe objects`);
    assert.equal(ciliumEgress(withProbe, stranger, to, port), true, `${to.name}:${port}`);
    assert.equal(ciliumEgress(withProbe, stranger, to, port + 1), false, `${to.name}:${port + 1}`);
  }
  assert.equal(ciliumEgress(withProbe, stranger, prometheusPod, 9090), false, 'prometheus');
  assert.equal(ciliumEgress(withProbe, stranger, loadtesterPod('store'), LOADTESTER_PORT), false);
});

test('a probe with no target, or a cluster without default deny, needs no objects', () => {
  assert.deepEqual(cluster(true).probeObjects([]), []);
  const open = cluster(false);
  assert.deepEqual(open.probeObjects(), []);
  for (const to of open.apps.filter((p) => p.port !== undefined))
    assert.equal(ciliumEgress(open.all, stranger, to, to.port as number), true, to.name);
});

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
