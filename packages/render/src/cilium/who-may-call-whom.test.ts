// Who may call whom on Cilium: L3/L7 rules, with and without mutual authentication (see ../test-who-may-call-whom.ts).
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
import { ciliumIngressRules } from './test-model.ts';

describeWhoMayCallWhom('cilium with mutual authentication');
describeWhoMayCallWhom('cilium without mutual authentication');
prometheusReadsMetrics('cilium with mutual authentication', true);

test('cilium: every rule that admits an app caller requires mutual authentication when it is on', () => {
  for (const [name, on] of [
    ['cilium with mutual authentication', true],
    ['cilium without mutual authentication', false],
  ] as const) {
    const w = world(enforcement(name));
    let checked = 0;
    for (const r of w.requests) {
      if (r.from === flaggerPod || !allowedBySpec(w.platform.apps, r, true)) continue;
      const rules = ciliumIngressRules(w.all, r);
      assert.ok(rules !== 'open' && rules.length > 0, requestName(r));
      for (const rule of rules) {
        assert.deepEqual(
          rule.authentication,
          on ? { mode: 'required' } : undefined,
          `${name}: ${requestName(r)}`,
        );
        checked++;
      }
    }
    assert.ok(checked > 30);
  }
});
