import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadPlatform } from '@meshproof/spec';
import { type KubeAction, type Plan, type Step, validatePlan } from '../step.ts';
import { TASKS } from '../tasks.ts';
import { probeMatrix } from './matrix.ts';
import { plannedProbes, ZERO_TRUST_PROBES, zeroTrustSteps } from './steps.ts';
import { OUTSIDE_NAMESPACE, STRANGER } from './workloads.ts';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const loaded = await loadPlatform(join(root, 'meshproof.config.ts'));
assert.ok(loaded.ok);
const platform = loaded.platform;
const target = (name: string) => ({ kubeconfig: `.e2e/r1/${name}/kubeconfig`, context: `kind-${name}` });

const stepsOf = (name: string): Step[] => {
  const cluster = platform.clusters.find((c) => c.name === name);
  assert.ok(cluster);
  return zeroTrustSteps(platform, cluster, target(name));
};

type ProbeArgs = { id: string; argv: string[]; controls: string[] };
const probeArgs = (s: Step | undefined): ProbeArgs[] => {
  const action = s?.actions[0];
  assert.ok(action?.type === 'task' && action.name === ZERO_TRUST_PROBES);
  const argv = action.args.argv as Record<string, string[]>;
  return (action.args.probes as { id: string; controls: string[] }[]).map((p) => ({
    ...p,
    argv: argv[p.id] ?? [],
  }));
};

test('per cluster: add and wait for the probe workloads, one step per target, always remove them', () => {
  for (const c of platform.clusters) {
    const steps = stepsOf(c.name);
    assert.deepEqual(
      steps.map((s) => [s.id, s.when, s.onFailure]),
      [
        [`${c.name}/probes/add-workloads`, 'ok', 'stop'],
        [`${c.name}/probes/wait-workloads`, 'ok', 'stop'],
        [`${c.name}/probes/frontend`, 'ok', 'continue'],
        [`${c.name}/probes/backend`, 'ok', 'continue'],
        [`${c.name}/probes/catalog`, 'ok', 'continue'],
        [`${c.name}/probes/remove-workloads`, 'always', 'continue'],
      ],
    );
    const plan: Plan = {
      runId: 'r1',
      runDir: '.e2e/r1',
      clusters: [
        {
          name: c.name,
          mesh: c.mesh,
          target: target(c.name),
          existing: false,
          probes: plannedProbes(platform, c),
        },
      ],
      steps,
    };
    assert.deepEqual(validatePlan(plan, new Set(TASKS.keys())), []);
    assert.deepEqual(JSON.parse(JSON.stringify(plan)), plan, 'the plan is plain JSON');
    // What is removed is exactly what was added, in reverse.
    const [add, , , , , remove] = steps;
    assert.ok(add && remove);
    const added = (add.actions[0] as Extract<KubeAction, { op: 'apply' }>).objects.map(
      (o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`,
    );
    const removed = (remove.actions as Extract<KubeAction, { op: 'delete' }>[]).map(
      (a) => `${a.ref.kind} ${a.ref.namespace ?? ''}/${a.ref.name}`,
    );
    assert.deepEqual(removed, [...added].reverse());
    assert.equal(removed.at(-1), `Namespace /${OUTSIDE_NAMESPACE}`);
  }
});

test('every probe carries the kubectl exec argv it runs, in matrix order', () => {
  const steps = stepsOf('kind-linkerd');
  const probes = [...probeArgs(steps[2]), ...probeArgs(steps[3]), ...probeArgs(steps[4])];
  assert.deepEqual(
    probes.map((p) => p.id),
    probeMatrix(platform, platform.clusters.find((c) => c.name === 'kind-linkerd') as never).map((p) => p.id),
  );
  const byId = (id: string) => probes.find((p) => p.id === id)?.argv;
  const client = ['--', '/nodejs/bin/node', '/app/probe.mjs'];
  const kube = [
    'kubectl',
    '--kubeconfig',
    '.e2e/r1/kind-linkerd/kubeconfig',
    '--context',
    'kind-kind-linkerd',
    'exec',
  ];
  assert.deepEqual(byId('allowed:frontend->backend:GET:/'), [
    ...kube,
    ...['-n', 'shop', 'deploy/frontend-v1', '-c', 'frontend', ...client],
    ...['--method', 'GET', '--url', 'http://backend.shop.svc.cluster.local:8080/', '--timeout-ms', '2000'],
  ]);
  assert.deepEqual(byId(`wrong-identity:${STRANGER}->backend:GET:/`)?.slice(6, 12), [
    '-n',
    'shop',
    `pod/${STRANGER}`,
    '-c',
    'probe',
    '--',
  ]);
  assert.deepEqual(byId('l7:frontend->backend:OPTIONS:/')?.slice(-6, -2), [
    '--method',
    'OPTIONS',
    '--url',
    'http://backend.shop.svc.cluster.local:8080/',
  ]);
  // The mesh's refusals travel with the step, so the plan says what will count as denied.
  const action = steps[3]?.actions[0];
  assert.ok(action?.type === 'task');
  assert.deepEqual(action.args.refusals, {
    classes: ['DENIED_L7', 'DENIED_RESET'],
    l7: ['linkerd-forbidden', 'linkerd-no-route'],
  });
  // Every probe id a step names is one the cluster's plan lists.
  const listed = new Set(
    plannedProbes(platform, platform.clusters.find((c) => c.name === 'kind-linkerd') as never).map(
      (p) => p.id,
    ),
  );
  assert.ok(probes.every((p) => listed.has(p.id)));
});

test('an existing cluster: the probes change only what add-workloads applies, waits carry a bound and why', () => {
  const steps = stepsOf('kind-cilium');
  const changing = steps.flatMap((s) =>
    s.actions.filter((a) => a.type === 'kube' && (a.op === 'apply' || a.op === 'delete')).map(() => s.id),
  );
  assert.deepEqual(
    [...new Set(changing)],
    ['kind-cilium/probes/add-workloads', 'kind-cilium/probes/remove-workloads'],
  );
  for (const a of steps[1]?.actions ?? []) {
    assert.ok(a.type === 'kube' && a.op === 'wait');
    assert.equal(a.condition, 'Ready');
    assert.ok(a.timeoutMs > 0 && a.why.length > 0);
  }
});
