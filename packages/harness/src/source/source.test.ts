// The Flux source path for real: the server image built from its Dockerfile on local bases, a
// snapshot of a scratch repository with an uncommitted edit, a deletion and an untracked file,
// cloned by a second container over a fresh Docker network, then a published change fetched, and a
// push refused. Nothing of the scratch repository's index, HEAD, objects or files may change.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { hostExec, output } from './exec.ts';
import { buildImageArgv, startSourceServer, stopSourceServer } from './server.ts';
import { publishChange, readPublished, snapshotCheckout } from './snapshot.ts';
import {
  BASE_IMAGE,
  clientGitArgv,
  dockerProblem as dockerProblem_,
  ensureSourceBases,
  GIT_IMAGE,
  ROOT,
  removeSourceTest,
} from './testing.ts';

const exec = hostExec({ cwd: ROOT });
const id = randomBytes(4).toString('hex');
const image = `meshproof/git-source:test-${id}`;
const network = `meshproof-source-test-${id}`;
const server = `meshproof-source-test-${id}`;

const dockerProblem = dockerProblem_();

let scratch = '';
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

/** git in a second container on the test network, working in the host's scratch/client folder. */
const clientGit = (...args: string[]) => clientGitArgv(network, join(scratch, 'client'), ...args);

before(async () => {
  if (dockerProblem) return;
  scratch = await mkdtemp(join(tmpdir(), 'meshproof-source-test-'));
  ensureSourceBases();
});

after(async () => {
  if (dockerProblem) return;
  // Nothing of the test survives: no container, no network.
  const left = await removeSourceTest(exec, { server, network, image, scratch });
  assert.equal(left, '', `left behind: ${left}`);
});

/** Files of a work tree (not .git) with their contents, sorted by path. */
async function contents(dir: string, paths: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const p of [...paths].sort()) out[p] = await readFile(join(dir, p), 'utf8');
  return out;
}

test('the server image serves a snapshot of the checkout as it is, then a published change; pushes are refused', {
  skip: dockerProblem,
  timeout: 120_000,
}, async (t) => {
  // A user's checkout: committed files, then an edit, a deletion, an untracked and an ignored file.
  const repo = join(scratch, 'checkout');
  git(scratch, 'init', '--quiet', '--initial-branch=work', repo);
  await writeFile(join(repo, '.gitignore'), 'ignored.txt\n.e2e/\n');
  await writeFile(join(repo, 'kept.txt'), 'committed\n');
  await writeFile(join(repo, 'edited.txt'), 'committed\n');
  await writeFile(join(repo, 'deleted.txt'), 'committed\n');
  git(repo, 'add', '--all');
  git(repo, '-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '--quiet', '-m', 'first');
  await writeFile(join(repo, 'edited.txt'), 'edited, not committed\n');
  await rm(join(repo, 'deleted.txt'));
  await writeFile(join(repo, 'untracked.txt'), 'never added\n');
  await writeFile(join(repo, 'ignored.txt'), 'ignored\n');
  await writeFile(join(repo, 'staged.txt'), 'staged only\n');
  git(repo, 'add', 'staged.txt');
  const before = {
    head: git(repo, 'rev-parse', 'HEAD'),
    status: git(repo, 'status', '--porcelain'),
    index: await readFile(join(repo, '.git', 'index')),
    objects: git(repo, 'count-objects', '-v'),
  };

  const served = join(scratch, '.e2e', 'source', 'kind-test.git');
  const snapshot = await snapshotCheckout({ checkout: repo, repo: served, branch: 'main' });
  assert.equal(snapshot.base, before.head);
  assert.deepEqual(
    {
      head: git(repo, 'rev-parse', 'HEAD'),
      status: git(repo, 'status', '--porcelain'),
      index: await readFile(join(repo, '.git', 'index')),
      objects: git(repo, 'count-objects', '-v'),
    },
    before,
    "the user's HEAD, index, objects and status are untouched",
  );

  let started = Date.now();
  await output(exec, buildImageArgv({ tag: image, baseImage: BASE_IMAGE, gitImage: GIT_IMAGE }));
  const buildMs = Date.now() - started;
  const size = Number(await output(exec, ['docker', 'image', 'inspect', '--format', '{{.Size}}', image]));
  t.diagnostic(`image ${image}: built in ${buildMs} ms, ${(size / 1e6).toFixed(1)} MB`);

  await output(exec, ['docker', 'network', 'create', network]);
  const { url } = await startSourceServer(exec, { name: server, network, image, repo: served });
  assert.equal(url, `http://${server}:8080/meshproof.git`);

  await mkdir(join(scratch, 'client'));
  started = Date.now();
  // As source-controller's go-git does: protocol v0 and a shallow clone of the branch.
  await output(
    exec,
    clientGit(
      '-c',
      'protocol.version=0',
      'clone',
      '--quiet',
      '--depth',
      '1',
      '--branch',
      'main',
      url,
      '/client/clone',
    ),
  );
  t.diagnostic(`clone over the Docker network: ${Date.now() - started} ms (container start included)`);
  const clone = join(scratch, 'client', 'clone');
  assert.equal(git(clone, 'rev-parse', 'HEAD'), snapshot.revision);
  const files = git(clone, 'ls-files').split('\n');
  assert.deepEqual(await contents(clone, files), {
    '.gitignore': 'ignored.txt\n.e2e/\n',
    'edited.txt': 'edited, not committed\n',
    'kept.txt': 'committed\n',
    'staged.txt': 'staged only\n',
    'untracked.txt': 'never added\n',
  });

  const revision = await publishChange({
    repo: served,
    branch: 'main',
    files: { 'edited.txt': 'version 2\n', 'untracked.txt': null, 'apps/new.yaml': 'kind: ConfigMap\n' },
    message: 'roll out version 2',
  });
  assert.equal(await readPublished({ repo: served, branch: 'main', path: 'edited.txt' }), 'version 2\n');
  await output(exec, clientGit('-C', '/client/clone', 'fetch', '--quiet', 'origin'));
  assert.equal(git(clone, 'rev-parse', 'origin/main'), revision);
  assert.equal(git(clone, 'rev-parse', 'origin/main~1'), snapshot.revision);
  assert.deepEqual(git(clone, 'ls-tree', '-r', '--name-only', 'origin/main').split('\n'), [
    '.gitignore',
    'apps/new.yaml',
    'edited.txt',
    'kept.txt',
    'staged.txt',
  ]);
  assert.equal(git(clone, 'show', 'origin/main:edited.txt'), 'version 2');

  git(
    clone,
    '-c',
    'user.name=t',
    '-c',
    'user.email=t@t.invalid',
    'commit',
    '--quiet',
    '--allow-empty',
    '-m',
    'x',
  );
  const push = await exec(clientGit('-C', '/client/clone', 'push', 'origin', 'HEAD:refs/heads/main'));
  assert.notEqual(push.code, 0, 'a push must fail');
  assert.match(push.stderr, /read-only: pushes are refused/);
  assert.match(push.stderr, /403/);
  assert.equal(git(served, 'rev-parse', 'refs/heads/main'), revision, 'the served branch did not move');

  assert.equal(await stopSourceServer(exec, server), true);
  assert.equal(await stopSourceServer(exec, server), false, 'stopping twice is fine');
});
