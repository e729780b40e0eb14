// What the e2e zero-trust probes are told about a cluster without a mesh (zero-trust.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROBE_NAMES } from '@meshproof/spec';
import { LOADTESTER_PORT } from '../flagger/loadtester.ts';
import type { K8sObject } from '../model.ts';
import { appPods, loadtesterPod, type Obj, prometheusPod, strangerPod } from '../test-pods.ts';
import { renderTestCluster } from '../test-support.ts';
import { networkPolicyEgress } from './test-model.ts';
import { baselineZeroTrust } from './zero-trust.ts';

const stranger = strangerPod('store');

function cluster(defaultDeny: boolean) {
  const w = renderTestCluster<Obj>('none', (s) => {
    s.security = { defaultDeny };
  });
  const targets = w.platform.apps.filter((a) => a.port !== undefined);
  const probeObjects = (only = targets) =>
    baselineZeroTrust.probeCallerObjects?.(
      { platform: w.platform, cluster: w.cluster },
      { name: PROBE_NAMES.stranger, namespace: stranger.namespace },
      only,
    ) ?? [];
  return { ...w, apps: appPods(w.all), targets, probeObjects };
}

test("the stranger probe's own namespace lets it out to every target port, nothing else", () => {
  const { all, apps, probeObjects } = cluster(true);
  const withProbe = [...all, ...(probeObjects() as K8sObject[] as Obj[])];
  const targetPods = apps.filter((p) => p.port !== undefined);
  assert.ok(targetPods.length >= 3);
  for (const to of targetPods) {
    const port = to.port as number;
    // Without the probe's objects the namespace's default deny stops it before the callee decides.
    assert.equal(networkPolicyEgress(all, stranger, to, port), false, `${to.name} without the probe objects`);
    assert.equal(networkPolicyEgress(withProbe, stranger, to, port), true, `${to.name}:${port}`);
    assert.equal(networkPolicyEgress(withProbe, stranger, to, port + 1), false, `${to.name}:${port + 1}`);
  }
  assert.equal(networkPolicyEgress(withProbe, stranger, prometheusPod, 9090), false, 'prometheus');
  assert.equal(networkPolicyEgress(withProbe, stranger, loadtesterPod('store'), LOADTESTER_PORT), false);
});

test('a probe with no target, or a cluster without default deny, needs no objects', () => {
  const closed = cluster(true);
  assert.deepEqual(closed.probeObjects([]), []);
  const open = cluster(false);
  assert.deepEqual(open.probeObjects(), []);
  for (const to of open.apps.filter((p) => p.port !== undefined))
    assert.equal(networkPolicyEgress(open.all, stranger, to, to.port as number), true, to.name);
});

test('a refusal is a silent drop (kindnet drops the first packet); no proxy answers, none enforces L7', () => {
  assert.deepEqual(baselineZeroTrust.denials, { classes: ['DENIED_DROP'], l7: [] });
  // No mesh: STRICT mTLS means nothing, and there is no enrolment to opt a pod out of.
  assert.equal(baselineZeroTrust.strictMtlsRefusesPlaintext, false);
  assert.deepEqual(baselineZeroTrust.outsidePodMetadata, { labels: {}, annotations: {} });
});
