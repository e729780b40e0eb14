// CiliumNetworkPolicies read by the Cilium model (test-model.ts): what the spec's observability
// switches open, on top of who-may-call-whom.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PlatformInput } from '@meshproof/spec';
import { testCollectorEgress } from '../test-egress.ts';
import { appPods, type Obj, prometheusPod, type Request } from '../test-pods.ts';
import { exposeApps, portlessApp, renderTestCluster } from '../test-support.ts';
import { pathRegex } from './policies.ts';
import { ciliumEgress, ciliumIngress } from './test-model.ts';

function rendered(edit: (s: PlatformInput) => void) {
  const w = renderTestCluster<Obj>('cilium', edit);
  return { ...w, apps: appPods(w.all) };
}

testCollectorEgress('cilium', ciliumEgress);

test('without Prometheus no app admits it, not even GET /metrics', () => {
  const { all, apps } = rendered((s) => {
    s.observability = { prometheus: false };
    // A canary needs Prometheus (Flagger reads its metrics).
    for (const a of s.apps) a.canary = undefined;
  });
  const targets = apps.filter((p) => p.port !== undefined);
  assert.ok(targets.length >= 3);
  for (const to of targets) {
    const r: Request = { from: prometheusPod, to, port: to.port as number, method: 'GET', path: '/metrics' };
    assert.equal(ciliumIngress(all, r), false, to.name);
  }
});

test('path prefixes become whole-path regexes with the same segment semantics', () => {
  const full = (prefix: string, path: string) => new RegExp(`^(?:${pathRegex(prefix)})$`).test(path);
  assert.ok(full('/items', '/items') && full('/items', '/items/1') && full('/items', '/items?page=2'));
  assert.ok(!full('/items', '/itemsx') && !full('/items', '/other'));
  assert.ok(full('/', '/anything'));
  assert.equal(pathRegex('/v1.0/a+b'), '/v1\\.0/a\\+b([/?].*)?');
});

test('an app without a port gets egress rules only, and one that neither serves nor calls gets no policy', () => {
  const { all } = rendered((s) => {
    s.apps.push(portlessApp('worker', ['search']), portlessApp('idle'));
  });
  const inJobs = all.filter((o) => o.kind === 'CiliumNetworkPolicy' && o.metadata?.namespace === 'jobs');
  const worker = inJobs.find((o) => o.metadata?.name === 'worker');
  assert.ok(worker);
  // An empty ingress section would deny on its own; the namespace's default-deny is what denies here.
  assert.deepEqual(Object.keys(worker.spec).sort(), ['egress', 'endpointSelector']);
  assert.deepEqual(inJobs.map((o) => o.metadata?.name).sort(), ['default-deny', 'worker']);
});

test("the gateway reaches an exposed app on the app's TCP port only, by a policy of its own", () => {
  const { all } = rendered(exposeApps);
  const policies = all.filter((o) => o.kind === 'CiliumNetworkPolicy');
  const names = policies.map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`);
  assert.equal(new Set(names).size, names.length, names.join(', '));
  for (const [app, ns, port] of [
    ['web', 'store', '8080'],
    ['api', 'store', '9000'],
    ['search', 'search', '8081'],
  ]) {
    const policy = policies.find(
      (o) => o.metadata?.namespace === ns && o.metadata?.name === `${app}-ingress`,
    );
    assert.ok(policy, `${ns}/${app}-ingress`);
    const rules = policy.spec.ingress as { fromEntities?: string[]; toPorts: { ports: unknown[] }[] }[];
    assert.deepEqual(
      rules.map((r) => r.fromEntities),
      [['ingress']],
    );
    assert.deepEqual(
      rules[0]?.toPorts.map((t) => t.ports),
      [[{ port, protocol: 'TCP' }]],
    );
  }
});
