// CiliumNetworkPolicies read by the Cilium model (test-model.ts): what the spec's observability
// switches open, on top of who-may-call-whom.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PlatformInput } from '@meshproof/spec';
import { testCollectorEgress } from '../test-egress.ts';
import { appPods, type Obj, prometheusPod, type Request } from '../test-pods.ts';
import { renderTestCluster } from '../test-support.ts';
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
