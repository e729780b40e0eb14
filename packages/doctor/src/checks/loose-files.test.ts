// Files checked on their own, outside any clusters/<name>/ folder: their Flux paths resolve from the
// root of their own git repository, never the working directory's, and a path the doctor cannot
// place is an info finding (REF010), never an error, unless the user says the files are the whole tree.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runChecks } from '../engine.ts';

// The working directory of every run: this repository, which has packages/ and clusters/.
const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'meshproof-loose-'));
after(() => rmSync(root, { recursive: true, force: true }));

const flux = (...paths: string[]): string =>
  [
    `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 1m, url: ssh://git@example.invalid/org/repo, ref: {branch: main}}
`,
    ...paths.map(
      (p, i) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: k${i}, namespace: flux-system}
spec: {interval: 10m, path: ${p}, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}
`,
    ),
  ].join('---\n');

function write(file: string, text: string): string {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
}

const findings = async (file: string, complete = false) =>
  (await runChecks({ paths: [file], cwd: repo, complete })).findings
    .filter((f) => f.id.startsWith('REF00') || f.id === 'REF010' || f.id.startsWith('FLX'))
    .map((f) => `${f.id} ${f.severity} ${f.line}`);

test('a file in no git repository gets info, never an error, for paths it cannot place', async () => {
  // ./packages exists in the working directory's repository, not beside the file.
  const file = write(join(root, 'plain', 'flux.yaml'), flux('./packages', './apps', './clusters/demo/apps'));
  write(
    join(root, 'plain', 'apps', 'cm.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: a}\n',
  );
  assert.deepEqual(await findings(file), ['REF010 info 9', 'REF010 info 19']);
  // Even told the file is the whole tree: with no repository there is nothing to resolve against.
  assert.deepEqual(await findings(file, true), ['REF010 info 9', 'REF010 info 19']);
});

test('a file in another git repository resolves paths from that repository’s root', async () => {
  const other = join(root, 'other');
  mkdirSync(join(other, 'infrastructure'), { recursive: true });
  execFileSync('git', ['init', '-q', other]);
  write(
    join(other, 'infrastructure', 'cm.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: i, namespace: a}\n',
  );
  // ./infrastructure exists in that repository; ./packages only in the working directory's.
  const file = write(join(other, 'deploy', 'flux', 'sync.yaml'), flux('./infrastructure', './packages'));
  assert.deepEqual(await findings(file), ['REF010 info 14']);
  const [unplaced] = (await runChecks({ paths: [file], cwd: repo })).findings.filter(
    (f) => f.id === 'REF010',
  );
  assert.match(unplaced?.message ?? '', /not found from the root of the git repository holding the file/);
  // The user says these files are the repository's whole tree: then the missing path is an error.
  assert.deepEqual(await findings(file, true), ['REF007 error 14']);
  const [missing] = (await runChecks({ paths: [file], cwd: repo, complete: true })).findings.filter(
    (f) => f.id === 'REF007',
  );
  assert.match(missing?.message ?? '', /\(resolved from the root of the git repository holding the file\)/);
});

test('a loose file of this repository resolves paths from its root, not from its own folder', async () => {
  const dir = mkdtempSync(join(repo, 'packages', 'doctor', '.loose-'));
  try {
    const file = write(join(dir, 'flux.yaml'), flux('./scripts', './no-such-folder'));
    assert.deepEqual(await findings(file), ['REF010 info 14']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
