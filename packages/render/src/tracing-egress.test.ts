// With tracing on, every app exports spans to the OpenTelemetry collector: on every mesh, the app pods
// must be able to reach the collector's OTLP/HTTP port under that mesh's egress rules, and the
// collector must accept them. With tracing off nothing of it is rendered.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Mesh, PlatformInput } from '@meshproof/spec';
import { networkPolicyEgress, networkPolicyRestricts } from './baseline/test-model.ts';
import { ciliumEgress, ciliumIngressRules } from './cilium/test-model.ts';
import {
  MONITORING_NAMESPACE,
  OTEL_COLLECTOR_POD_LABELS,
  OTEL_COLLECTOR_RELEASE,
  OTLP_HTTP_PORT,
  otlpEndpoint,
} from './observability/endpoints.ts';
import { appPods, type Obj, type Pod } from './test-pods.ts';
import { registeredMeshes, renderTestCluster } from './test-support.ts';
import { APP_LABEL } from './workload/names.ts';

const tracing = (on: boolean) => (s: PlatformInput) => {
  s.observability = { prometheus: true, tracing: on };
};

const collector: Pod = { namespace: MONITORING_NAMESPACE, labels: { ...OTEL_COLLECTOR_POD_LABELS } };

/** Does any NetworkPolicy or CiliumNetworkPolicy restrict ingress to `pod`? */
const ingressRestricted = (all: Obj[], pod: Pod) =>
  networkPolicyRestricts(all, pod, 'Ingress') ||
  ciliumIngressRules(all, { from: pod, to: pod, port: 1, method: 'GET', path: '/' }) !== 'open';

// Mesh objects that restrict outbound traffic in ways the functions above do not model: a new one
// must be modelled here before this test can vouch for the collector path.
const UNMODELLED_EGRESS = ['CiliumClusterwideNetworkPolicy', 'Sidecar', 'EgressNetwork', 'ServiceEntry'];

for (const mesh of registeredMeshes()) {
  test(`${mesh}: with tracing every app pod can reach the collector's OTLP/HTTP port, and the collector admits it`, () => {
    const { all, find } = renderTestCluster<Obj>(mesh, tracing(true));
    const pods = appPods(all);
    assert.ok(pods.length >= 3, 'the test spec renders its apps');
    assert.equal(new URL(otlpEndpoint).port, String(OTLP_HTTP_PORT));
    for (const kind of UNMODELLED_EGRESS)
      assert.ok(!all.some((o) => o.kind === kind), `${kind} restricts egress: model it in this test`);
    for (const pod of pods) {
      const who = `${pod.namespace}/${pod.labels[APP_LABEL]}`;
      assert.ok(
        pod.env.some((e) => e.name === 'OTEL_EXPORTER_OTLP_ENDPOINT' && e.value === otlpEndpoint),
        `${who} exports to the collector`,
      );
      // Both enforcement points the render can emit must let the packet out.
      const reaches = (to: Pod, port: number) =>
        networkPolicyEgress(all, pod, to, port) && ciliumEgress(all, pod, to, port);
      assert.ok(reaches(collector, OTLP_HTTP_PORT), `${who} reaches the collector on ${OTLP_HTTP_PORT}`);
      // Not a blanket opening: where the mesh enforces egress, another pod of the monitoring
      // namespace, or another collector port, stays closed.
      const other: Pod = { namespace: MONITORING_NAMESPACE, labels: { app: 'other' } };
      if (mesh === 'none' || mesh === 'cilium') {
        assert.ok(!reaches(other, 1), `${who}: ${mesh} enforces egress`);
        assert.ok(!reaches(other, OTLP_HTTP_PORT), `${who}: only the collector pods`);
        assert.ok(!reaches(collector, 4317), `${who}: only OTLP/HTTP`);
      }
    }
    // The collector side: no policy restricts its ingress, and it is not enrolled in the mesh, so no
    // mesh authorization (Istio AuthorizationPolicy/PeerAuthentication, Linkerd Server) applies to
    // it; meshed clients reach it in plaintext (Istio auto mTLS, Linkerd's unmeshed destinations).
    assert.ok(!ingressRestricted(all, collector), 'no policy restricts ingress to the collector');
    const release = find('HelmRelease', OTEL_COLLECTOR_RELEASE, MONITORING_NAMESPACE);
    const values = release.spec.values as Record<string, unknown>;
    assert.equal(values.mode, 'deployment', 'OTEL_COLLECTOR_POD_LABELS are the deployment-mode labels');
    assert.ok(
      !('podLabels' in values) && !('podAnnotations' in values),
      'collector pods carry no mesh metadata',
    );
    assert.ok(!('nameOverride' in values) && !('fullnameOverride' in values), 'chart-derived labels');
    const monitoring = find('Namespace', MONITORING_NAMESPACE);
    const enrol = /istio|linkerd|dataplane-mode/;
    assert.ok(
      ![
        ...Object.keys(monitoring.metadata?.labels ?? {}),
        ...Object.keys(monitoring.metadata?.annotations ?? {}),
      ].some((k) => enrol.test(k)),
      'the monitoring namespace is not enrolled',
    );
    // No client-side policy forces mTLS towards it (it has no proxy to terminate it).
    for (const dr of all.filter((o) => o.kind === 'DestinationRule'))
      assert.notEqual(dr.spec.trafficPolicy?.tls?.mode, 'ISTIO_MUTUAL', `${dr.metadata?.name} forces mTLS`);
  });

  test(`${mesh}: without tracing nothing opens the way to the collector`, () => {
    const off = renderTestCluster<Obj>(mesh, tracing(false));
    const on = renderTestCluster<Obj>(mesh, tracing(true));
    const text = [...off.tree.values()].join('\n');
    assert.ok(!text.includes(OTEL_COLLECTOR_POD_LABELS.component), 'no rule selects the collector');
    assert.ok(!text.includes(String(OTLP_HTTP_PORT)), 'no rule names the OTLP port');
    assert.ok(!text.includes('OTEL_EXPORTER_OTLP_ENDPOINT'));
    // Tracing changes only the tracing releases, the apps' env and their egress rules.
    const key = (r: typeof on, o: Obj) =>
      `${r.pathOf(o)}#${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
    const before = new Map(off.all.map((o) => [key(off, o), o]));
    const isCollectorRule = (r: unknown) => JSON.stringify(r).includes(OTEL_COLLECTOR_POD_LABELS.component);
    const withoutTracing = (o: Obj): Obj => {
      const copy = structuredClone(o);
      if (copy.kind === 'Deployment')
        for (const c of copy.spec.template.spec.containers)
          c.env = c.env?.filter((e: { name: string }) => e.name !== 'OTEL_EXPORTER_OTLP_ENDPOINT');
      if ((copy.kind === 'NetworkPolicy' || copy.kind === 'CiliumNetworkPolicy') && copy.spec.egress)
        copy.spec.egress = copy.spec.egress.filter((r: unknown) => !isCollectorRule(r));
      if (copy.spec?.egress?.length === 0 && copy.kind === 'CiliumNetworkPolicy') delete copy.spec.egress;
      return copy;
    };
    for (const o of on.all) {
      const id = key(on, o);
      const prior = before.get(id);
      if (prior) {
        assert.deepEqual(withoutTracing(o), prior, `${id} changes beyond tracing`);
        continue;
      }
      const tracingRelease = on.pathOf(o).endsWith('observability.yaml');
      const collectorOnly =
        ['NetworkPolicy', 'CiliumNetworkPolicy'].includes(o.kind) &&
        o.spec.egress?.length === 1 &&
        isCollectorRule(o.spec.egress[0]) &&
        !('ingress' in o.spec);
      assert.ok(tracingRelease || collectorOnly, `${id} appears with tracing`);
    }
    const after = new Set(on.all.map((o) => key(on, o)));
    for (const id of before.keys()) assert.ok(after.has(id), `${id} disappears with tracing`);
  });
}

test('every registered mesh is covered', () => {
  const meshes: Mesh[] = registeredMeshes();
  assert.ok(meshes.includes('none') && meshes.includes('cilium'));
});
