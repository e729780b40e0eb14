// Who may call whom on Istio: sidecars, ambient with and without a waypoint (see ../test-who-may-call-whom.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flaggerPod, requestName } from '../test-pods.ts';
import {
  allowedBySpec,
  describeWhoMayCallWhom,
  enforcement,
  prometheusReadsMetrics,
  world,
} from '../test-who-may-call-whom.ts';
import { ztunnelAllows } from './test-model.ts';

describeWhoMayCallWhom('istio-sidecar');
describeWhoMayCallWhom('istio-ambient with a waypoint');
describeWhoMayCallWhom('istio-ambient without a waypoint');
// ztunnel sees no HTTP: the port is the boundary (authorization.ts allowPrometheus).
prometheusReadsMetrics('istio-ambient with a waypoint', false);
prometheusReadsMetrics('istio-ambient without a waypoint', false);

test('istio-ambient with a waypoint: an app that skips the waypoint (straight to the pod) is refused', () => {
  const w = world(enforcement('istio-ambient with a waypoint'));
  let refused = 0;
  for (const r of w.requests) {
    // Flagger's principal passes ztunnel on the loadtester's webhook port (L4) by design.
    if (r.from === flaggerPod || !allowedBySpec(w.platform.apps, r, true)) continue;
    assert.equal(ztunnelAllows(w.all, r), false, requestName(r));
    refused++;
  }
  assert.ok(refused > 30);
});

test('istio: no rule carries an empty path, list or operation (L4-only callers get no `to` at all)', () => {
  for (const name of ['istio-sidecar', 'istio-ambient with a waypoint', 'istio-ambient without a waypoint']) {
    const w = world(enforcement(name));
    const rules = w.all
      .filter((o) => o.kind === 'AuthorizationPolicy')
      .flatMap((o) => (o.spec.rules ?? []) as { to?: { operation: Record<string, string[]> }[] }[]);
    assert.ok(rules.length > 5, name);
    for (const op of rules.flatMap((r) => r.to ?? []).map((t) => t.operation)) {
      assert.ok(Object.keys(op).length > 0, `${name}: an empty operation`);
      // An empty list is an unset field to Istio: it would match anything.
      for (const [field, values] of Object.entries(op))
        assert.ok(values.length > 0, `${name}: empty ${field}`);
      for (const path of op.paths ?? []) assert.match(path, /^\/\S*$/, `${name}: path "${path}"`);
    }
  }
});
