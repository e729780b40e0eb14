import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadPlatform, type Platform } from '@meshproof/spec';
import { type Plan, validatePlan } from '../step.ts';
import { TASKS } from '../tasks.ts';
import { formatPlan } from './format.ts';
import { buildPlan, PlanInputError } from './plan.ts';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const loaded = await loadPlatform(join(root, 'meshproof.config.ts'));
assert.ok(loaded.ok);
const spec = loaded.platform;
const only = (name: string): Platform => ({
  ...spec,
  clusters: spec.clusters.filter((c) => c.name === name),
});

const temps: string[] = [];
after(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

const ids = (plan: Plan) => plan.steps.map((s) => s.id);
const argvs = (plan: Plan) =>
  plan.steps.flatMap((s) => s.actions.flatMap((a) => (a.type === 'run' ? [a.argv] : [])));

test('a kind plan: prerequisites, images, source, then per cluster create → Flux → waits → diagnostics → cleanup', () => {
  const plan = buildPlan({ root, platform: only('kind-cilium'), runId: 'r1', keep: false });
  assert.deepEqual(validatePlan(plan, new Set(TASKS.keys())), []);
  assert.deepEqual(ids(plan), [
    'run/prerequisites/docker',
    'run/prerequisites/tools',
    'run/images/frontend',
    'run/images/backend',
    'run/source/build-image',
    'run/source/snapshot',
    'run/cleanup/kind-network-before',
    'kind-cilium/cluster/create',
    'kind-cilium/cluster/load-images',
    'kind-cilium/pre-flux/install',
    'kind-cilium/cluster/nodes-ready',
    'kind-cilium/source/start',
    'kind-cilium/flux/install',
    'kind-cilium/source/apply-sync',
    'kind-cilium/flux/wait-crds',
    'kind-cilium/flux/wait-controllers',
    'kind-cilium/flux/wait-configs',
    'kind-cilium/flux/wait-apps',
    'kind-cilium/probes/add-workloads',
    'kind-cilium/probes/wait-workloads',
    'kind-cilium/probes/frontend',
    'kind-cilium/probes/backend',
    'kind-cilium/probes/catalog',
    'kind-cilium/routes/catalog-0',
    'kind-cilium/canary/backend-promotion',
    'kind-cilium/canary/backend-rollback',
    'kind-cilium/diagnostics/flux',
    'kind-cilium/diagnostics/events',
    'kind-cilium/diagnostics/unready-pods',
    'kind-cilium/diagnostics/logs',
    'kind-cilium/diagnostics/kind',
    'kind-cilium/probes/remove-workloads',
    'kind-cilium/source/stop',
    'kind-cilium/cluster/delete',
    'run/cleanup/kind-network-after',
  ]);
  assert.deepEqual(
    plan.steps.filter((s) => s.when !== 'ok').map((s) => `${s.id}:${s.when}`),
    [
      'kind-cilium/diagnostics/flux:failed',
      'kind-cilium/diagnostics/events:failed',
      'kind-cilium/diagnostics/unready-pods:failed',
      'kind-cilium/diagnostics/logs:failed',
      'kind-cilium/diagnostics/kind:failed',
      'kind-cilium/probes/remove-workloads:always',
      'kind-cilium/source/stop:always',
      'kind-cilium/cluster/delete:always',
      'run/cleanup/kind-network-after:always',
    ],
  );
  assert.ok(
    argvs(plan).some(
      (a) =>
        a.join(' ') ===
        'kind create cluster --name kind-cilium --config clusters/kind-cilium/kind.yaml --kubeconfig .e2e/r1/kubeconfig',
    ),
  );
  assert.equal(JSON.stringify(JSON.parse(JSON.stringify(plan))), JSON.stringify(plan));
});

test('every kubectl, helm and flux call names the run kubeconfig and the cluster context', () => {
  const plan = buildPlan({ root, platform: only('kind-cilium'), runId: 'r1', keep: false });
  const cluster = argvs(plan).filter(
    (a) => ['kubectl', 'helm', 'flux'].includes(a[0]) && !a.includes('--export'),
  );
  assert.ok(cluster.length >= 10);
  for (const a of cluster) {
    const line = a.join(' ');
    assert.match(
      line,
      /^(kubectl|helm|flux) --kubeconfig \.e2e\/r1\/kubeconfig --(kube-)?context kind-kind-cilium /,
      line,
    );
  }
  for (const s of plan.steps)
    for (const a of s.actions)
      if (a.type === 'kube')
        assert.deepEqual(a.target, { kubeconfig: '.e2e/r1/kubeconfig', context: 'kind-kind-cilium' });
});

test('waits are bounded by the timeouts the render wrote and say so', () => {
  const plan = buildPlan({ root, platform: only('kind-linkerd'), runId: 'r1', keep: false });
  const apps = plan.steps.find((s) => s.id === 'kind-linkerd/flux/wait-apps');
  const ks = apps?.actions.find(
    (a) => a.type === 'kube' && a.op === 'wait' && a.ref.kind === 'Kustomization',
  );
  assert.ok(ks?.type === 'kube' && ks.op === 'wait');
  // clusters/kind-linkerd/flux/apps.yaml: timeout 10m, retryInterval 1m.
  assert.equal(ks.timeoutMs, 11 * 60_000);
  assert.match(
    ks.why,
    /spec\.timeout 10m \+ spec\.retryInterval 1m of clusters\/kind-linkerd\/flux\/apps\.yaml/,
  );
  const controllers = plan.steps.find((s) => s.id === 'kind-linkerd/flux/wait-controllers');
  assert.ok(
    controllers?.actions.some((a) => a.type === 'kube' && a.op === 'wait' && a.ref.kind === 'HelmRelease'),
  );
  assert.equal(
    plan.steps.find((s) => s.id === 'kind-linkerd/pre-flux/install'),
    undefined,
    'only Cilium has pre-Flux steps',
  );
});

test('--keep leaves cluster and source; an existing cluster gets no create, load, Flux install or delete', () => {
  const kept = buildPlan({ root, platform: only('kind-baseline'), runId: 'r1', keep: true });
  assert.ok(!ids(kept).includes('kind-baseline/cluster/delete'));
  assert.ok(!ids(kept).includes('kind-baseline/source/stop'));
  assert.ok(!ids(kept).includes('run/cleanup/kind-network-after'));
  const target = { kubeconfig: 'staging.yaml', context: 'kind-baseline' };
  const existing = buildPlan({
    root,
    platform: only('kind-baseline'),
    runId: 'r1',
    keep: false,
    existing: target,
  });
  assert.deepEqual(
    ids(existing).filter((id) => !id.includes('/diagnostics/') && !id.includes('/probes/')),
    [
      'run/prerequisites/tools',
      'kind-baseline/flux/wait-crds',
      'kind-baseline/flux/wait-controllers',
      'kind-baseline/flux/wait-configs',
      'kind-baseline/flux/wait-apps',
      // Read-only requests from the caller's pod: they run on an existing cluster too (here skipped:
      // the baseline cannot route by header).
      'kind-baseline/routes/catalog-0',
    ],
  );
  // What the run changes on an existing cluster: only the probe workloads it adds and removes.
  const changes = existing.steps.flatMap((s) =>
    s.actions.flatMap((a) => (a.type === 'kube' && (a.op === 'apply' || a.op === 'delete') ? [s.id] : [])),
  );
  assert.deepEqual(
    [...new Set(changes)],
    ['kind-baseline/probes/add-workloads', 'kind-baseline/probes/remove-workloads'],
  );
  assert.ok(!argvs(existing).some((a) => a[0] === 'kind' || a[0] === 'docker'));
  assert.equal(existing.clusters[0]?.existing, true);
  assert.throws(
    () => buildPlan({ root, platform: spec, runId: 'r1', keep: false, existing: target }),
    /runs one cluster/,
  );
});

test('a checkout without the rendered tree is refused, naming the file and the fix', () => {
  const bare = mkdtempSync(join(tmpdir(), 'meshproof-plan-'));
  temps.push(bare);
  cpSync(join(root, 'apps'), join(bare, 'apps'), {
    recursive: true,
    filter: (p) => !p.includes('node_modules'),
  });
  assert.throws(
    () => buildPlan({ root: bare, platform: only('kind-baseline'), runId: 'r1', keep: false }),
    (e: Error) =>
      e instanceof PlanInputError &&
      /clusters\/kind-baseline\/sync\/sync\.yaml.*meshproof render/.test(e.message),
  );
});

test('the human plan shows every action of every step', () => {
  const plan = buildPlan({ root, platform: only('kind-cilium'), runId: 'r1', keep: false });
  const text = formatPlan(plan);
  for (const [i, s] of plan.steps.entries()) assert.ok(text.includes(`${i + 1}. ${s.id}`), s.id);
  assert.match(
    text,
    /helm --kubeconfig \.e2e\/r1\/kubeconfig --kube-context kind-kind-cilium install cilium cilium/,
  );
  assert.match(text, /frontend → backend: OPTIONS \/ expect deny \[l7\]/);
  assert.match(text, /meshproof-outsider → backend: GET \/ expect deny \[plaintext\]/);
});
