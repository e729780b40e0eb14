import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validatePlatform } from '@meshproof/spec';
import config from '../../../../meshproof.config.ts';
import type { K8sObject } from '../model.ts';
import { renderCluster } from '../render-cluster.ts';
import { objectsOf, renderTestCluster } from '../test-support.ts';

// Who may read an app's /metrics, read back from the rendered Linkerd objects alone (no renderer
// code): the routes attached to each app Server that can match a request for /metrics, the
// AuthorizationPolicies on them, and the authentications those require.

// biome-ignore lint/suspicious/noExplicitAny: the checks walk parsed YAML.
type Obj = K8sObject & { spec: any };
// biome-ignore lint/suspicious/noExplicitAny: one HTTPRoute match.
type Match = any;

const METRICS = '/metrics';

const coversMetrics = (m: Match) => {
  const { type = 'PathPrefix', value = '/' } = m.path ?? {};
  if (type === 'Exact') return value === METRICS;
  if (type === 'PathPrefix') return value === '/' || value === METRICS || METRICS.startsWith(`${value}/`);
  return true; // RegularExpression: assume it may match.
};

/** Gateway API precedence for GET /metrics: Exact over prefix, longer prefix first, then a method match. */
const rank = (m: Match) => [
  m.path?.type === 'Exact' ? 1 : 0,
  (m.path?.value ?? '/').length,
  m.method ? 1 : 0,
];
const better = (a: number[], b: number[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] ?? 0) > (b[i] ?? 0);
  return false;
};

/** `<sa>.<ns>.serviceaccount.identity.<control-plane ns>.<trust domain>` → ServiceAccount/<ns>/<sa>. */
let trustSuffix = '';
const fromIdentity = (id: string) => {
  const m = /^([a-z0-9-]+)\.([a-z0-9-]+)\.serviceaccount\.(.+)$/.exec(id);
  return m && m[3] === trustSuffix ? `ServiceAccount/${m[2]}/${m[1]}` : `<foreign identity ${id}>`;
};

interface Finding {
  /** Every route (any method) that can serve /metrics and is authorized by a NetworkAuthentication. */
  networkAuthorized: string[];
  /** Per app Server: the identities admitted to GET /metrics by the route that wins that request. */
  readers: Map<string, string[]>;
}

function metricsAccess(objects: Obj[]): Finding {
  // Workload identities are issued under the identity issuer's name (`identity.<ns>.<trust domain>`).
  const issuer = objects.find(
    (o) => o.kind === 'Certificate' && o.metadata?.name === 'linkerd-identity-issuer',
  );
  trustSuffix = issuer?.spec.commonName ?? '';
  const inNs = (kind: string, ns: string) =>
    objects.filter(
      (o) =>
        o.kind === kind && o.metadata?.namespace === ns && o.apiVersion !== 'kustomize.config.k8s.io/v1beta1',
    );
  const finding: Finding = { networkAuthorized: [], readers: new Map() };
  for (const server of objects.filter((o) => o.kind === 'Server')) {
    const ns = server.metadata?.namespace ?? '';
    const routes = inNs('HTTPRoute', ns).filter((r) =>
      r.spec.parentRefs?.some((p: Match) => p.kind === 'Server' && p.name === server.metadata?.name),
    );
    if (routes.length === 0) continue; // no routes: Server-level policy, not an app metrics route
    const authns = (route: Obj) =>
      inNs('AuthorizationPolicy', ns)
        .filter(
          (a) => a.spec.targetRef.kind === 'HTTPRoute' && a.spec.targetRef.name === route.metadata?.name,
        )
        .map((a) =>
          a.spec.requiredAuthenticationRefs.map((ref: Match) =>
            inNs(ref.kind, ns).find((x) => x.metadata?.name === ref.name),
          ),
        );
    let winner: { route: Obj; rank: number[] } | undefined;
    for (const route of routes) {
      const matches: Match[] = route.spec.rules.flatMap((r: Match) => r.matches ?? [{}]);
      const serving = matches.filter(coversMetrics);
      if (serving.length === 0) continue;
      if (authns(route).some((refs: Obj[]) => refs.some((a) => a?.kind === 'NetworkAuthentication')))
        finding.networkAuthorized.push(`${ns}/${route.metadata?.name}`);
      for (const m of serving.filter((x) => !x.method || x.method === 'GET')) {
        if (!winner || better(rank(m), winner.rank)) winner = { route, rank: rank(m) };
      }
    }
    const identities = winner
      ? authns(winner.route).flatMap((refs: Obj[]) =>
          refs.every((a) => a?.kind === 'MeshTLSAuthentication')
            ? refs.flatMap((a) => [
                ...(a.spec.identities ?? []).map(fromIdentity),
                ...(a.spec.identityRefs ?? []).map((i: Match) => `${i.kind}/${i.namespace ?? ns}/${i.name}`),
              ])
            : ['<not mTLS>'],
        )
      : [];
    finding.readers.set(`${ns}/${server.metadata?.name}`, [...new Set(identities)].sort());
  }
  return finding;
}

/** The ServiceAccount of kube-prometheus-stack's Prometheus, from the rendered release (`<fullname>-prometheus`). */
function prometheusIdentity(objects: Obj[]) {
  const kps = objects.find(
    (o) => o.kind === 'HelmRelease' && o.spec.chart?.spec?.chart === 'kube-prometheus-stack',
  );
  assert.ok(kps, 'kube-prometheus-stack is rendered');
  assert.equal(
    kps.spec.values.prometheus.prometheusSpec.podMetadata?.annotations?.['linkerd.io/inject'],
    'enabled',
    'Prometheus pods are injected, so they have a mesh identity',
  );
  const ns = kps.spec.targetNamespace ?? kps.metadata?.namespace;
  return `ServiceAccount/${ns}/${kps.spec.values.fullnameOverride}-prometheus`;
}

function assertOnlyPrometheusReadsMetrics(objects: Obj[], apps: number) {
  const { networkAuthorized, readers } = metricsAccess(objects);
  assert.deepEqual(networkAuthorized, [], 'no route serving /metrics is authorized by network');
  // The Flagger loadtester's Server (not an app) has only its webhook route: nobody reads /metrics there.
  for (const [server, identities] of readers) {
    if (!server.endsWith('/flagger-loadtester-http')) continue;
    assert.deepEqual(identities, [], server);
    readers.delete(server);
  }
  assert.equal(readers.size, apps, 'every app Server was checked');
  const prometheus = prometheusIdentity(objects);
  for (const [server, identities] of readers) assert.deepEqual(identities, [prometheus], server);
}

describe('linkerd /metrics access', () => {
  test('test spec: only Prometheus reads /metrics, by mTLS identity', () => {
    const { all, platform } = renderTestCluster<Obj>('linkerd');
    assertOnlyPrometheusReadsMetrics(all, platform.apps.filter((a) => a.port !== undefined).length);
  });

  test('meshproof.config.ts kind-linkerd: only Prometheus reads /metrics, by mTLS identity', () => {
    const result = validatePlatform(config);
    assert.ok(result.ok);
    const cluster = result.platform.clusters.find((c) => c.mesh === 'linkerd');
    assert.ok(cluster);
    const all = objectsOf(renderCluster(result.platform, cluster)).map((e) => e.object as Obj);
    assertOnlyPrometheusReadsMetrics(all, result.platform.apps.filter((a) => a.port !== undefined).length);
  });

  test('the check catches /metrics on a network-authorized route and extra readers', () => {
    const { all } = renderTestCluster<Obj>('linkerd');
    const copy = structuredClone(all);
    // The former shape: /metrics on the probe route, admitted from the node networks.
    const probes = copy.find((o) => o.kind === 'HTTPRoute' && o.metadata?.name === 'api-probes');
    probes?.spec.rules[0].matches.push({ path: { type: 'Exact', value: METRICS }, method: 'GET' });
    assert.deepEqual(metricsAccess(copy).networkAuthorized, ['store/api-probes']);
    assert.throws(() => assertOnlyPrometheusReadsMetrics(copy, 3));
    // A second identity on the metrics route.
    const extra = structuredClone(all);
    const authn = extra.find((o) => o.kind === 'MeshTLSAuthentication' && o.metadata?.name === 'web-metrics');
    authn?.spec.identities.push('api.store.serviceaccount.identity.linkerd.cluster.local');
    assert.throws(() => assertOnlyPrometheusReadsMetrics(extra, 3), /store\/web-http/);
    // No metrics route at all: the winner is gone, nobody may read.
    const none = all.filter((o) => !o.metadata?.name?.endsWith('-metrics'));
    assert.throws(() => assertOnlyPrometheusReadsMetrics(none, 3));
  });
});
