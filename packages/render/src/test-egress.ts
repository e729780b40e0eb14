// Egress tests shared by the meshes that close egress with default deny (NetworkPolicy, Cilium):
// the tracing collector and the zero-trust stranger probe, each read by the mesh's own model.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Mesh, PROBE_NAMES } from '@meshproof/spec';
import { LOADTESTER_PORT } from './flagger/loadtester.ts';
import type { ZeroTrustFacts } from './mesh.ts';
import { OTLP_HTTP_PORT } from './observability/endpoints.ts';
import {
  appPods,
  collectorPod,
  loadtesterPod,
  type Obj,
  type Pod,
  prometheusPod,
  strangerPod,
} from './test-pods.ts';
import { renderTestCluster } from './test-support.ts';

/** May `from` open TCP `port` on `to`, by the egress policies among `all`? */
export type EgressModel = (all: Obj[], from: Pod, to: Pod, port: number) => boolean;

export function testCollectorEgress(mesh: Mesh, egress: EgressModel): void {
  test('with tracing every app reaches the collector on OTLP/HTTP only; without it nobody does', () => {
    for (const tracing of [true, false]) {
      const { all } = renderTestCluster<Obj>(mesh, (s) => {
        s.observability = { prometheus: true, tracing };
      });
      for (const from of appPods(all)) {
        assert.equal(egress(all, from, collectorPod, OTLP_HTTP_PORT), tracing, `${from.name}`);
        assert.equal(egress(all, from, collectorPod, 4317), false, `${from.name} on 4317`);
        assert.equal(egress(all, from, prometheusPod, OTLP_HTTP_PORT), false, from.name);
        // The collector is trusted by where it runs, not by its labels, which any namespace's pods can copy.
        const lookalike = { ...collectorPod, namespace: from.namespace, name: 'lookalike-collector' };
        assert.equal(egress(all, from, lookalike, OTLP_HTTP_PORT), false, `${from.name} to a lookalike`);
      }
    }
  });
}

/** ZeroTrustFacts.probeCallerObjects: what the wrong-identity probe needs to get out of its namespace. */
export function testStrangerEgress(mesh: Mesh, facts: ZeroTrustFacts, egress: EgressModel): void {
  const stranger = strangerPod('store');
  const cluster = (defaultDeny: boolean) => {
    const w = renderTestCluster<Obj>(mesh, (s) => {
      s.security = { defaultDeny };
    });
    const targets = w.platform.apps.filter((a) => a.port !== undefined);
    const probeObjects = (only = targets) =>
      (facts.probeCallerObjects?.(
        { platform: w.platform, cluster: w.cluster },
        { name: PROBE_NAMES.stranger, namespace: stranger.namespace },
        only,
      ) ?? []) as Obj[];
    return { all: w.all, targetPods: appPods(w.all).filter((p) => p.port !== undefined), probeObjects };
  };

  test("the stranger probe's own namespace lets it out to every target port, nothing else", () => {
    const { all, targetPods, probeObjects } = cluster(true);
    const withProbe = [...all, ...probeObjects()];
    assert.ok(targetPods.length >= 3);
    for (const to of targetPods) {
      const port = to.port as number;
      // Without the probe's objects the namespace's default deny stops it before the callee decides.
      assert.equal(egress(all, stranger, to, port), false, `${to.name} without the probe objects`);
      assert.equal(egress(withProbe, stranger, to, port), true, `${to.name}:${port}`);
      assert.equal(egress(withProbe, stranger, to, port + 1), false, `${to.name}:${port + 1}`);
    }
    assert.equal(egress(withProbe, stranger, prometheusPod, 9090), false, 'prometheus');
    assert.equal(egress(withProbe, stranger, loadtesterPod('store'), LOADTESTER_PORT), false, 'loadtester');
    // Its objects are its own: named after it, and they open nothing for the apps beside it.
    for (const o of probeObjects()) assert.equal(o.metadata?.name, `${PROBE_NAMES.stranger}-egress`);
    for (const from of appPods(all).filter((p) => p.namespace === stranger.namespace))
      for (const to of targetPods) {
        const port = to.port as number;
        assert.equal(
          egress(withProbe, from, to, port),
          egress(all, from, to, port),
          `${from.name} -> ${to.name}`,
        );
      }
  });

  test('a probe with no target, or a cluster without default deny, needs no objects', () => {
    assert.deepEqual(cluster(true).probeObjects([]), []);
    const open = cluster(false);
    assert.deepEqual(open.probeObjects(), []);
    for (const to of open.targetPods)
      assert.equal(egress(open.all, stranger, to, to.port as number), true, to.name);
  });
}
