import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { planThenRunWithoutDocker, runCaptured } from '../test-io.ts';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const repoConfig = join(root, 'meshproof.config.ts');
const main = join(root, 'packages/cli/src/main.ts');
const runIds: string[] = [];
const temps: string[] = [];
after(() => {
  for (const id of runIds) rmSync(join(root, '.e2e', id), { recursive: true, force: true });
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

test('e2e --plan lists the steps and exits 0; an unknown --cluster exits 2 with the choices', async () => {
  const plan = await runCaptured(['e2e', '--plan', '--config', repoConfig, '--cluster', 'kind-cilium']);
  assert.equal(plan.code, 0);
  assert.match(plan.stdout, /kind-cilium\/pre-flux\/install: before Flux, for cilium/);
  assert.doesNotMatch(plan.stdout, /kind-baseline/);
  const bad = await runCaptured(['e2e', '--plan', '--config', repoConfig, '--cluster', 'kind-cilum']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /no cluster named "kind-cilum" \(did you mean "kind-cilium"\?\)/);
});

test('e2e --list --json is the CI matrix: every cluster of the spec with its mesh', async () => {
  const list = await runCaptured(['e2e', '--list', '--json', '--config', repoConfig]);
  assert.equal(list.code, 0);
  const clusters = JSON.parse(list.stdout) as { cluster: string; mesh: string }[];
  assert.deepEqual(
    clusters.map((c) => c.cluster),
    ['kind-baseline', 'kind-istio-ambient', 'kind-istio-sidecar', 'kind-linkerd', 'kind-cilium'],
  );
  assert.equal(clusters.find((c) => c.cluster === 'kind-cilium')?.mesh, 'cilium');
});

test('the plan printed by --plan --json is the very plan a run hands the engine; a missing prerequisite exits 2', () => {
  const runId = `cli-test-${process.pid}`;
  runIds.push(runId);
  const args = [main, 'e2e', '--config', repoConfig, '--cluster', 'kind-linkerd', '--run-id', runId];
  const { printed, ran } = planThenRunWithoutDocker(root, args);
  assert.equal(printed.status, 0, printed.stderr);
  assert.equal(ran.status, 2, ran.stdout + ran.stderr);
  assert.match(ran.stderr, /missing prerequisite \(run\/prerequisites\/docker\)/);
  const handed = JSON.parse(readFileSync(join(root, '.e2e', runId, 'plan.json'), 'utf8'));
  assert.deepEqual(JSON.parse(printed.stdout), handed);
  const results = JSON.parse(readFileSync(join(root, '.e2e', runId, 'results.json'), 'utf8'));
  assert.deepEqual(
    results.steps.map((s: { id: string }) => s.id),
    handed.steps.map((s: { id: string }) => s.id),
  );
  assert.equal(results.steps[0].status, 'failed');
  // Everything else is skipped; only the run's last cleanup runs, and finds nothing to remove.
  assert.deepEqual(
    results.steps.filter((s: { status: string }) => s.status !== 'skipped').map((s: { id: string }) => s.id),
    ['run/prerequisites/docker', 'run/cleanup/kind-network-after'],
  );
});

test('--existing refuses a context not named after --cluster unless --yes; bad flag combinations exit 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshproof-e2e-cli-'));
  temps.push(dir);
  const kubeconfig = join(dir, 'config.yaml');
  writeFileSync(
    kubeconfig,
    'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: prod-eu, context: {cluster: c, user: u}}]\ncurrent-context: prod-eu\n',
  );
  const base = ['e2e', '--plan', '--config', repoConfig, '--kubeconfig', kubeconfig];
  const refused = await runCaptured([...base, '--cluster', 'kind-linkerd']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /current context "prod-eu" is not named after cluster "kind-linkerd".*--yes/);
  const accepted = await runCaptured([...base, '--cluster', 'kind-linkerd', '--yes', '--json']);
  assert.equal(accepted.code, 0, accepted.stderr);
  const plan = JSON.parse(accepted.stdout);
  assert.deepEqual(plan.clusters[0].target, { kubeconfig, context: 'prod-eu' });
  assert.ok(
    !plan.steps.some(
      (s: { id: string }) => s.id.endsWith('/cluster/create') || s.id.endsWith('/cluster/delete'),
    ),
  );
  assert.equal((await runCaptured([...base])).code, 2, 'several clusters on one existing cluster');
  assert.equal((await runCaptured([...base, '--cluster', 'kind-linkerd', '--keep'])).code, 2);
  assert.equal((await runCaptured(['e2e', '--json', '--config', repoConfig])).code, 2);
});
