import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PlatformInput } from '@meshproof/spec';
import { renderCluster } from '../render-cluster.ts';
import { testCollectorEgress } from '../test-egress.ts';
import { appPods, type Obj, type Pod, prometheusPod } from '../test-pods.ts';
import { ofKind, portlessApp, renderTestCluster, testSpec } from '../test-support.ts';
import { networkPolicyEgress, networkPolicyIngress } from './test-model.ts';

const platform = testSpec(['none']);
const cluster = platform.clusters[0];
assert.ok(cluster);
const policies = ofKind(renderCluster(platform, cluster), 'NetworkPolicy').map(
  ({ object }) =>
    object as never as {
      metadata: { name: string; namespace: string };
      spec: Record<string, unknown>;
    },
);
const find = (ns: string, name: string) =>
  policies.find((p) => p.metadata.namespace === ns && p.metadata.name === name);

test('every app namespace denies all ingress and egress, then allows DNS and Prometheus scraping', () => {
  for (const ns of ['store', 'search']) {
    assert.deepEqual(find(ns, 'default-deny')?.spec, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    assert.match(JSON.stringify(find(ns, 'allow-dns')?.spec), /"port":53/);
    assert.match(JSON.stringify(find(ns, 'allow-prometheus-scrape')?.spec), /monitoring/);
  }
});

test('scrapes are admitted from the Prometheus pods only, on the app ports only', () => {
  const scrape = find('search', 'allow-prometheus-scrape')?.spec as {
    ingress: { from: { podSelector?: { matchLabels: Record<string, string> } }[]; ports: unknown[] }[];
  };
  assert.equal(scrape.ingress.length, 1);
  const [rule] = scrape.ingress;
  assert.deepEqual(
    rule?.from.map((f) => f.podSelector?.matchLabels),
    [{ 'app.kubernetes.io/name': 'prometheus', 'operator.prometheus.io/name': 'kps-prometheus' }],
  );
  assert.deepEqual(rule?.ports, [{ protocol: 'TCP', port: 8081 }]);
});

test('ingress to an app allows exactly its callers (across namespaces) on its port', () => {
  const search = find('search', 'search-ingress')?.spec as {
    ingress: { from: unknown[]; ports: unknown[] }[];
  };
  assert.deepEqual(search.ingress[0]?.from, [
    {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'store' } },
      podSelector: { matchLabels: { 'meshproof/app': 'web' } },
    },
  ]);
  assert.deepEqual(search.ingress[0]?.ports, [{ protocol: 'TCP', port: 8081 }]);
  assert.equal(find('store', 'web-ingress'), undefined, 'nobody calls web');
});

test('callers get egress to exactly their callees', () => {
  const egress = find('store', 'web-egress')?.spec as { egress: { ports: { port: number }[] }[] };
  assert.deepEqual(egress.egress.map((e) => e.ports[0]?.port).sort(), [8081, 9000]);
});

test('defaultDeny = false renders no NetworkPolicies', () => {
  const open = testSpec(['none'], (s) => {
    s.security = { defaultDeny: false };
  });
  const c = open.clusters[0];
  assert.ok(c);
  assert.equal(ofKind(renderCluster(open, c), 'NetworkPolicy').length, 0);
});

describe('what the NetworkPolicies admit, read by the NetworkPolicy model', () => {
  test('without Prometheus no pod of an app namespace admits scrapes', () => {
    const { all, apps } = rendered((s) => {
      s.observability = { prometheus: false };
      // A canary needs Prometheus (Flagger reads its metrics).
      for (const a of s.apps) a.canary = undefined;
    });
    assert.equal(
      all.some((o) => o.metadata?.name === 'allow-prometheus-scrape'),
      false,
    );
    for (const to of apps.filter((p) => p.port !== undefined))
      assert.equal(networkPolicyIngress(all, prometheusPod, to, to.port as number), false, to.name);
  });

  test('a namespace whose apps serve no port gets no scrape rule (an empty port list would open every port)', () => {
    const { all, apps } = rendered((s) => {
      s.apps.push(portlessApp('worker', ['search']));
    });
    assert.equal(policyIn(all, 'jobs', 'allow-prometheus-scrape'), undefined);
    const worker = apps.find((p) => p.namespace === 'jobs') as Pod;
    assert.ok(worker);
    for (const port of [80, 8080, 9000])
      assert.equal(networkPolicyIngress(all, prometheusPod, worker, port), false, `worker:${port}`);
  });
});

testCollectorEgress('none', networkPolicyEgress);

function rendered(edit: (s: PlatformInput) => void) {
  const w = renderTestCluster<Obj>('none', edit);
  return { ...w, apps: appPods(w.all) };
}
const policyIn = (all: Obj[], ns: string, name: string) =>
  all.find((o) => o.kind === 'NetworkPolicy' && o.metadata?.namespace === ns && o.metadata?.name === name);
