// With tracing on, every app exports spans to the OpenTelemetry collector: on every mesh, the app pods
// must be able to reach the collector's OTLP/HTTP port under that mesh's egress rules, and the
// collector must accept them. With tracing off nothing of it is rendered.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Mesh, PlatformInput } from '@meshproof/spec';
import type { K8sObject } from './model.ts';
import {
  MONITORING_NAMESPACE,
  OTEL_COLLECTOR_POD_LABELS,
  OTEL_COLLECTOR_RELEASE,
  OTLP_HTTP_PORT,
  otlpEndpoint,
} from './observability/endpoints.ts';
import { registeredMeshes, renderTestCluster } from './test-support.ts';
import { APP_LABEL } from './workload/names.ts';

type Labels = Record<string, string>;
type Expr = { key: string; operator: string; values?: string[] };
type Selector = { matchLabels?: Labels; matchExpressions?: Expr[] };
// biome-ignore lint/suspicious/noExplicitAny: rendered objects are inspected as plain YAML data.
type Obj = K8sObject & { spec?: any; data?: unknown };

const NS_NAME = 'kubernetes.io/metadata.name';
const tracing = (on: boolean) => (s: PlatformInput) => {
  s.observability = { prometheus: true, tracing: on };
};

/** Label selector semantics (matchLabels and matchExpressions); `key` maps selector keys to label keys. */
function selects(sel: Selector | undefined, labels: Labels, key = (k: string) => k): boolean {
  if (sel === undefined) return true;
  const value = (k: string) => labels[key(k)];
  const byLabels = Object.entries(sel.matchLabels ?? {}).every(([k, v]) => value(k) === v);
  const byExprs = (sel.matchExpressions ?? []).every((e) => {
    const v = value(e.key);
    if (e.operator === 'In') return v !== undefined && (e.values ?? []).includes(v);
    if (e.operator === 'NotIn') return v === undefined || !(e.values ?? []).includes(v);
    if (e.operator === 'Exists') return v !== undefined;
    if (e.operator === 'DoesNotExist') return v === undefined;
    throw new Error(`unknown operator ${e.operator}`);
  });
  return byLabels && byExprs;
}

interface Pod {
  namespace: string;
  labels: Labels;
}

const collector: Pod = { namespace: MONITORING_NAMESPACE, labels: { ...OTEL_COLLECTOR_POD_LABELS } };

/** Kubernetes NetworkPolicy: may `from` open TCP `port` to `to`? (No policy selecting `from` → yes.) */
function networkPolicyEgress(all: Obj[], from: Pod, to: Pod, port: number): boolean {
  const selecting = all.filter(
    (o) =>
      o.kind === 'NetworkPolicy' &&
      o.metadata?.namespace === from.namespace &&
      (o.spec.policyTypes ?? []).includes('Egress') &&
      selects(o.spec.podSelector, from.labels),
  );
  if (selecting.length === 0) return true;
  const nsLabels = { [NS_NAME]: to.namespace };
  return selecting.some((p) =>
    (p.spec.egress ?? []).some(
      (rule: { to?: { namespaceSelector?: Selector; podSelector?: Selector }[]; ports?: unknown[] }) => {
        const peerOk =
          (rule.to ?? []).length === 0 ||
          (rule.to ?? []).some((peer) => {
            if (!('namespaceSelector' in peer) && !('podSelector' in peer)) return false; // ipBlock
            const nsOk = peer.namespaceSelector
              ? selects(peer.namespaceSelector, nsLabels)
              : to.namespace === p.metadata?.namespace;
            return nsOk && selects(peer.podSelector, to.labels);
          });
        const portOk =
          (rule.ports ?? []).length === 0 ||
          (rule.ports as { port?: number; protocol?: string }[]).some(
            (q) => (q.protocol ?? 'TCP') === 'TCP' && (q.port === undefined || q.port === port),
          );
        return peerOk && portOk;
      },
    ),
  );
}

// Cilium endpoint labels: the pod's labels (selectors may prefix them with `k8s:`) and its namespace.
const ciliumLabels = (pod: Pod): Labels => ({ ...pod.labels, 'io.kubernetes.pod.namespace': pod.namespace });
const ciliumKey = (k: string) => k.replace(/^k8s:/, '');

/** CiliumNetworkPolicy: egress is enforced on `from` as soon as one selecting policy has an egress section. */
function ciliumEgress(all: Obj[], from: Pod, to: Pod, port: number): boolean {
  const selecting = all.filter(
    (o) =>
      o.kind === 'CiliumNetworkPolicy' &&
      o.metadata?.namespace === from.namespace &&
      selects(o.spec.endpointSelector, ciliumLabels(from), ciliumKey),
  );
  if (!selecting.some((p) => 'egress' in p.spec || 'egressDeny' in p.spec)) return true;
  assert.ok(!selecting.some((p) => 'egressDeny' in p.spec), 'egressDeny is not modelled here');
  return selecting.some((p) =>
    (p.spec.egress ?? []).some(
      (rule: { toEndpoints?: Selector[]; toEntities?: string[]; toPorts?: { ports: unknown[] }[] }) => {
        const peerOk =
          (rule.toEntities ?? []).some((e) => e === 'all' || e === 'cluster') ||
          (rule.toEndpoints ?? []).some((sel) => {
            // A selector without a namespace label only selects endpoints of the policy's namespace.
            const scoped = Object.keys(sel.matchLabels ?? {}).some(
              (k) => ciliumKey(k) === 'io.kubernetes.pod.namespace',
            );
            return (
              (scoped || to.namespace === p.metadata?.namespace) && selects(sel, ciliumLabels(to), ciliumKey)
            );
          });
        const portOk =
          rule.toPorts === undefined ||
          rule.toPorts.some((tp) =>
            (tp.ports as { port: string; protocol?: string }[]).some(
              (q) => q.port === String(port) && ['TCP', 'ANY', undefined].includes(q.protocol),
            ),
          );
        return peerOk && portOk;
      },
    ),
  );
}

/** Does any NetworkPolicy or CiliumNetworkPolicy restrict ingress to `pod`? */
function ingressRestricted(all: Obj[], pod: Pod): boolean {
  return all.some(
    (o) =>
      o.metadata?.namespace === pod.namespace &&
      ((o.kind === 'NetworkPolicy' &&
        (o.spec.policyTypes ?? []).includes('Ingress') &&
        selects(o.spec.podSelector, pod.labels)) ||
        (o.kind === 'CiliumNetworkPolicy' &&
          selects(o.spec.endpointSelector, ciliumLabels(pod), ciliumKey) &&
          ('ingress' in o.spec || 'ingressDeny' in o.spec))),
  );
}

/** The app pods: every rendered Deployment carrying the app label, with its pod template's labels. */
function appPods(all: Obj[]): (Pod & { env: { name: string; value?: string }[] })[] {
  return all
    .filter((o) => o.kind === 'Deployment' && o.spec.template.metadata.labels?.[APP_LABEL] !== undefined)
    .map((d) => ({
      namespace: d.metadata?.namespace ?? '',
      labels: d.spec.template.metadata.labels,
      env: d.spec.template.spec.containers.flatMap((c: { env?: unknown[] }) => c.env ?? []),
    }));
}

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
