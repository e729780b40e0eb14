// The Git update path of the canary scenarios against the real source server image: this checkout
// snapshotted, served from the server container on a fresh Docker network, then the exact files the
// promotion and rollback steps publish, fetched by a Git client in a second container, which must see
// the new backend pod template each time.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadPlatform } from '@meshproof/spec';
import { parseAllDocuments } from 'yaml';
import { hostExec, output } from '../source/exec.ts';
import { buildImageArgv, startSourceServer } from '../source/server.ts';
import { publishChange, snapshotCheckout } from '../source/snapshot.ts';
import {
  BASE_IMAGE,
  clientGitArgv,
  dockerProblem,
  ensureSourceBases,
  GIT_IMAGE,
  ROOT,
  removeSourceTest,
} from '../source/testing.ts';
import { canarySteps } from './scenario.ts';

const exec = hostExec({ cwd: ROOT });
const id = randomBytes(4).toString('hex');
const image = `meshproof/git-source:canary-test-${id}`;
const network = `meshproof-canary-publish-${id}`;
const server = `meshproof-canary-publish-${id}`;
const CLUSTER = 'kind-linkerd';
const skip = dockerProblem();

let scratch = '';
const clientGit = (...args: string[]) => clientGitArgv(network, join(scratch, 'client'), ...args);

before(async () => {
  if (skip) return;
  scratch = await mkdtemp(join(tmpdir(), 'meshproof-canary-publish-'));
  ensureSourceBases();
});

after(async () => {
  if (skip) return;
  const left = await removeSourceTest(exec, { server, network, image, scratch });
  assert.equal(left, '', `left behind: ${left}`);
});

const podTemplate = (yaml: string) => {
  const d = parseAllDocuments(yaml)
    .map((doc) => doc.toJS())
    .find((o) => o?.kind === 'Deployment' && o.metadata.name === 'backend');
  const env = Object.fromEntries(
    d.spec.template.spec.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]),
  );
  return { version: d.spec.template.metadata.labels.version as string, env };
};

test('the promotion and rollback commits reach a Git client of the real source server', {
  skip,
  timeout: 180_000,
}, async () => {
  const loaded = await loadPlatform(join(ROOT, 'meshproof.config.ts'));
  assert.ok(loaded.ok);
  const cluster = loaded.platform.clusters.find((c) => c.name === CLUSTER);
  assert.ok(cluster);
  const served = join(scratch, 'source', `${CLUSTER}.git`);
  const steps = canarySteps({
    platform: loaded.platform,
    cluster,
    plan: {
      name: CLUSTER,
      mesh: cluster.mesh,
      target: { kubeconfig: null, context: 'unused' },
      existing: false,
      probes: [],
    },
    source: { repo: served, branch: 'main', name: 'flux-system', namespace: 'flux-system' },
  });
  type Publish = { repo: string; branch: string; message: string; files: Record<string, string | null> };
  const publishes = steps.map(
    (s) => (s.actions[0] as unknown as { args: { publish: Publish } }).args.publish,
  );
  const snapshot = await snapshotCheckout({ checkout: ROOT, repo: served, branch: 'main' });
  await output(exec, buildImageArgv({ tag: image, baseImage: BASE_IMAGE, gitImage: GIT_IMAGE }));
  await output(exec, ['docker', 'network', 'create', network]);
  const { url } = await startSourceServer(exec, { name: server, network, image, repo: served });
  await mkdir(join(scratch, 'client'));
  await output(exec, clientGit('clone', '--quiet', '--branch', 'main', url, '/client/clone'));
  const clone = join(scratch, 'client', 'clone');
  const git = (...args: string[]) => execFileSync('git', ['-C', clone, ...args], { encoding: 'utf8' });
  const path = `clusters/${CLUSTER}/apps/shop/backend.yaml`;
  assert.deepEqual(podTemplate(git('show', `origin/main:${path}`)).version, 'v1');

  let parent = snapshot.revision;
  for (const [publish, version, faultRate] of [
    [publishes[0], 'v2', undefined],
    [publishes[1], 'v2-faulty', '0.5'],
  ] as const) {
    assert.ok(publish);
    const revision = await publishChange({ ...publish, repo: served });
    await output(exec, clientGit('-C', '/client/clone', 'fetch', '--quiet', 'origin'));
    assert.equal(git('rev-parse', 'origin/main').trim(), revision);
    assert.equal(git('rev-parse', 'origin/main~1').trim(), parent);
    assert.equal(git('log', '-1', '--format=%s', 'origin/main').trim(), publish.message);
    // One file changes per rollout: the backend's pod template, nothing else in the tree.
    assert.deepEqual(git('diff', '--name-only', parent, revision).trim().split('\n'), [path]);
    const template = podTemplate(git('show', `origin/main:${path}`));
    assert.equal(template.version, version);
    assert.equal(template.env.VERSION, version);
    assert.equal(template.env.FAULT_ERROR_RATE, faultRate);
    parent = revision;
  }
});
