import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadPlatform } from '@meshproof/spec';
import { validatePlan } from '../step.ts';
import { CANARY_ROLLOUT, canarySteps, effectiveRetries } from './scenario.ts';

const loaded = await loadPlatform(new URL('../../../../meshproof.config.ts', import.meta.url).pathname);
assert.ok(loaded.ok);
const platform = loaded.platform;
const source = {
  repo: '.e2e/r1/source/x.git',
  branch: 'main',
  name: 'flux-system',
  namespace: 'flux-system',
};

function stepsFor(name: string, existing = false) {
  const cluster = platform.clusters.find((c) => c.name === name);
  assert.ok(cluster);
  const plan = {
    name,
    mesh: cluster.mesh,
    target: { kubeconfig: '.e2e/r1/kubeconfig', context: `kind-${name}` },
    existing,
    probes: [],
  };
  return { steps: canarySteps({ platform, cluster, plan, source }), plan };
}

type Args = Record<string, unknown> & {
  publish: { files: Record<string, string>; message: string };
  argv: Record<string, string[]>;
  fault: { errorRate: number; retries: number } | null;
};
const argsOf = (s: { actions: unknown[] }) => (s.actions[0] as { args: Args }).args;

test('every cluster of the default spec: promotion then rollback of backend, a valid plan', () => {
  for (const cluster of platform.clusters) {
    const { steps, plan } = stepsFor(cluster.name);
    assert.deepEqual(
      steps.map((s) => s.id),
      [`${cluster.name}/canary/backend-promotion`, `${cluster.name}/canary/backend-rollback`],
    );
    assert.deepEqual(
      validatePlan({ runId: 'r1', runDir: '.e2e/r1', clusters: [plan], steps }, new Set([CANARY_ROLLOUT])),
      [],
    );
    const [promote, rollback] = steps.map(argsOf);
    assert.ok(promote && rollback);
    assert.deepEqual(Object.keys(promote.publish.files), [`clusters/${cluster.name}/apps/shop/backend.yaml`]);
    assert.equal(promote.publish.message, 'backend: roll out v2');
    assert.equal(rollback.publish.message, 'backend: roll out v2-faulty (FAULT_ERROR_RATE=0.5)');
    assert.equal(promote.fault, null);
    // Every cluster call names the run's kubeconfig and the cluster's context.
    assert.deepEqual(Object.keys(promote.argv).sort(), [
      'findPod',
      'pollCanary',
      'primaryVersion',
      'reconcile',
      'resetSampler',
      'sampler',
      'sourceRevision',
      'stopSampler',
    ]);
    for (const [key, argv] of Object.entries(promote.argv)) {
      assert.deepEqual(
        argv.slice(0, 5),
        ['kubectl', '--kubeconfig', '.e2e/r1/kubeconfig', '--context', `kind-${cluster.name}`],
        key,
      );
    }
    const sampler = promote.argv.sampler ?? [];
    assert.deepEqual(sampler.slice(5, 11), ['-n', 'shop', 'exec', '{pod}', '-c', 'frontend']);
    assert.deepEqual(sampler.slice(11, 15), [
      '--',
      '/nodejs/bin/node',
      '--input-type=module-typescript',
      '-e',
    ]);
    assert.ok(sampler.includes('http://127.0.0.1:8080/api/fanout'));
  }
});

test('timeouts come from the Canary: 30s × (1 + 5 + 4 + 3) + Flux + slack; printed in the title', () => {
  const { steps } = stepsFor('kind-linkerd');
  const [promote, rollback] = steps;
  assert.ok(promote && rollback);
  assert.equal(argsOf(promote).timeoutMs, (30 * 13 + 120 + 180) * 1000);
  assert.match(
    promote.title,
    /timeout 11m30s = interval 30s × 13 \(1 detect \+ 5 steps \+ 4 tolerated failed checks \+ 3 promote\/finalise\/succeed\) \+ 2m Flux fetch and apply \+ 3m slack/,
  );
  assert.equal(argsOf(rollback).timeoutMs, (30 * 7 + 300) * 1000);
  assert.ok(promote.timeoutMs > (argsOf(promote).timeoutMs as number));
});

test('the blast-radius prediction uses the retries each mesh really applies to the canary', () => {
  const backend = platform.apps.find((a) => a.name === 'backend');
  assert.ok(backend);
  const retries = Object.fromEntries(
    platform.clusters.map((c) => [c.mesh, effectiveRetries(platform, c, backend)]),
  );
  // Linkerd's apex annotations and Istio sidecar's Canary retries apply; Flagger's Gateway API
  // routes (ambient, Cilium) carry none; no proxy, no retries on the baseline.
  assert.deepEqual(retries, { none: 0, 'istio-ambient': 0, 'istio-sidecar': 2, linkerd: 2, cilium: 0 });
  const rollback = argsOf(stepsFor('kind-linkerd').steps[1] as { actions: unknown[] });
  assert.deepEqual(rollback.fault, { errorRate: 0.5, retries: 2 });
});

test('an existing cluster gets no canary steps: its Git source is the user remote, not the run', () => {
  assert.deepEqual(stepsFor('kind-linkerd', true).steps, []);
});
