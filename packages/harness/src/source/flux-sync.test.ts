import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { taskRegistry } from '../registry.ts';
import { validatePlan } from '../step.ts';
import { fluxSyncFrom, readFluxSync, syncFile } from './flux-sync.ts';
import {
  sourceImageStep,
  sourceSnapshotStep,
  sourceStartStep,
  sourceStopStep,
  sourceSyncStep,
} from './steps.ts';
import { SOURCE_TASKS } from './tasks.ts';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CLUSTERS = readdirSync(join(ROOT, 'clusters'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
const URL_ = 'http://meshproof-source-x:8080/meshproof.git';

test('every rendered cluster: sync.yaml as written, only the GitRepository URL replaced', async () => {
  assert.ok(CLUSTERS.length > 0);
  for (const cluster of CLUSTERS) {
    const sync = await readFluxSync(ROOT, cluster, URL_);
    const file = parseAllDocuments(readFileSync(join(ROOT, syncFile(cluster)), 'utf8')).map((d) => d.toJS());
    const expected = file.map((o) =>
      o.kind === 'GitRepository' ? { ...o, spec: { ...o.spec, url: URL_ } } : o,
    );
    assert.deepEqual(sync.objects, expected, cluster);
    assert.equal(sync.branch, file.find((o) => o.kind === 'GitRepository').spec.ref.branch);
    assert.deepEqual(sync.source, { name: 'flux-system', namespace: 'flux-system' });
  }
});

const repo = (spec: string) =>
  `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n${spec}`;

test('credentials, provider auth and signature checks of the real remote are dropped', () => {
  const sync = fluxSyncFrom(
    repo(
      '  url: ssh://git@github.com/a/b\n  ref: {branch: prod}\n  secretRef: {name: s}\n  provider: azure\n  verify: {mode: HEAD}\n  interval: 5m\n',
    ),
    'f.yaml',
    URL_,
  );
  assert.deepEqual(sync.objects[0]?.spec, { url: URL_, ref: { branch: 'prod' }, interval: '5m' });
  assert.equal(sync.branch, 'prod');
});

test('a sync file the run cannot serve is refused with the file and the reason', async () => {
  const one = repo('  url: https://x\n  ref: {branch: main}\n');
  assert.throws(
    () => fluxSyncFrom(`${one}\n---\n${one}`, 'f.yaml', URL_),
    /f\.yaml: expected exactly one GitRepository.*found 2/,
  );
  assert.throws(
    () => fluxSyncFrom('kind: Kustomization\n', 'f.yaml', URL_),
    /document 1 is not a Kubernetes object/,
  );
  assert.throws(() => fluxSyncFrom(repo('  ref: {tag: v1}\n'), 'f.yaml', URL_), /must follow a branch/);
  assert.throws(
    () => fluxSyncFrom(repo('  ref: {branch: main, commit: abc}\n'), 'f.yaml', URL_),
    /must follow a branch/,
  );
  assert.throws(() => fluxSyncFrom('a: [', 'f.yaml', URL_), /f\.yaml: document 1:/);
  await assert.rejects(
    readFluxSync(ROOT, 'no-such-cluster', URL_),
    /clusters\/no-such-cluster\/sync\/sync\.yaml: missing/,
  );
});

test('the source steps form a valid plan with their executors registered', async () => {
  const cluster = CLUSTERS[0] as string;
  const sync = await readFluxSync(ROOT, cluster, URL_);
  const target = { kubeconfig: null, context: `kind-${cluster}` };
  const plan = {
    runId: 'r1',
    runDir: '.e2e/r1',
    clusters: [{ name: cluster, mesh: 'none', target, existing: false, probes: [] }],
    steps: [
      sourceImageStep(),
      sourceSnapshotStep('.e2e/r1', [{ name: cluster, sync }]),
      sourceStartStep('.e2e/r1', cluster),
      sourceSyncStep(cluster, target, sync),
      sourceStopStep('.e2e/r1', cluster),
    ],
  };
  assert.deepEqual(validatePlan(plan, new Set(taskRegistry(SOURCE_TASKS).keys())), []);
  assert.deepEqual(plan.steps[0]?.actions[0], {
    type: 'run',
    argv: [
      'docker',
      'build',
      '--file',
      'packages/harness/images/source/Dockerfile',
      '--tag',
      'meshproof/git-source:local',
      'packages/harness/src/source',
    ],
  });
  assert.equal(plan.steps.at(-1)?.when, 'always');
});
