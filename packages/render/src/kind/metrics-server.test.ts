import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { K8sObject } from '../model.ts';
import { registeredMeshes, renderTestCluster } from '../test-support.ts';
import { METRICS_SERVER } from '../versions.ts';
import { METRICS_SERVER_RELEASE } from './metrics-server.ts';

type Release = K8sObject & {
  spec: {
    chart: { spec: { chart: string; version: string; sourceRef: { kind: string; name: string } } };
    values: { args: string[] };
  };
};
type Repository = K8sObject & { spec: { url: string } };

for (const mesh of registeredMeshes()) {
  describe(`metrics-server: ${mesh}`, () => {
    const { all, pathOf } = renderTestCluster(mesh);
    const hpas = all.filter((o) => o.kind === 'HorizontalPodAutoscaler');
    const release = all.find(
      (o) =>
        o.kind === 'HelmRelease' &&
        o.metadata?.name === METRICS_SERVER_RELEASE.name &&
        o.metadata?.namespace === METRICS_SERVER_RELEASE.namespace,
    ) as Release | undefined;

    test('a cluster whose apps have HPAs renders metrics-server, pinned exactly, in the controllers layer', () => {
      assert.ok(hpas.length > 0, 'the test spec renders HPAs');
      assert.ok(release, 'HelmRelease kube-system/metrics-server is rendered');
      assert.match(pathOf(release), /^infrastructure\/controllers\//);
      const chart = release.spec.chart.spec;
      assert.equal(chart.chart, 'metrics-server');
      assert.equal(chart.version, METRICS_SERVER.chartVersion);
      assert.match(chart.version, /^\d+\.\d+\.\d+$/);
      const repo = all.find(
        (o) => o.kind === 'HelmRepository' && o.metadata?.name === chart.sourceRef.name,
      ) as Repository | undefined;
      assert.equal(repo?.spec.url, METRICS_SERVER.helmRepo);
      assert.match(pathOf(repo as K8sObject), /^infrastructure\/controllers\//);
    });

    test('kubelets on kind serve self-signed certificates: metrics-server skips their verification', () => {
      assert.deepEqual(release?.spec.values.args, ['--kubelet-insecure-tls']);
      // The chart's defaultArgs (cert dir, address types, resolution) stay as published.
      assert.ok(!('defaultArgs' in (release?.spec.values ?? {})));
    });

    test('no rendered policy or mesh enrolment reaches kube-system', () => {
      const ns = all.find((o) => o.kind === 'Namespace' && o.metadata?.name === 'kube-system');
      assert.equal(ns, undefined, 'kube-system keeps its own labels (no mesh enrolment, no Pod Security)');
      const policies = all.filter((o) =>
        /NetworkPolicy$|^AuthorizationPolicy$|^PeerAuthentication$|^Server$/.test(o.kind),
      );
      for (const p of policies) {
        assert.notEqual(
          p.metadata?.namespace,
          'kube-system',
          `${p.kind}/${p.metadata?.name} would select metrics-server`,
        );
      }
      assert.ok(!all.some((o) => o.kind === 'CiliumClusterwideNetworkPolicy'));
    });
  });
}
