import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runChecks } from '../engine.ts';
import { fluxReferenceChecks } from './flux-refs.ts';
import { absenceSuite } from './testing/absence.ts';
import { FIXTURES, fixtureSuite } from './testing/fixture-suite.ts';

fixtureSuite(fluxReferenceChecks);
// REF007 reads paths, REF009 cycles and REF010 is info already: only REF006 and REF008 name objects.
absenceSuite(fluxReferenceChecks.filter((c) => c.id === 'REF006' || c.id === 'REF008'));

const pathFindings = async (paths: string[], cwd: string) =>
  (await runChecks({ paths, cwd, checks: fluxReferenceChecks })).findings
    .filter((f) => f.id === 'REF007' || f.id === 'REF010')
    .map((f) => `${f.id} ${f.severity} ${f.file}:${f.line} ${f.message}`);

test('one file of a cluster folder still places its paths from clusters/: a missing path is an error', async () => {
  assert.deepEqual(await pathFindings(['clusters/demo/flux.yaml'], join(FIXTURES, 'REF007', 'fail')), [
    'REF007 error clusters/demo/flux.yaml:14 path ./clusters/demo/apps does not exist in the repository (resolved from the directory holding clusters/)',
  ]);
});

test('a loose file in no git repository says that nothing places its paths', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'meshproof-ref010-'));
  try {
    await writeFile(
      join(dir, 'flux.yaml'),
      [
        'apiVersion: source.toolkit.fluxcd.io/v1',
        'kind: GitRepository',
        'metadata: {name: flux-system, namespace: flux-system}',
        'spec: {interval: 1m, url: ssh://git@example.invalid/org/repo, ref: {branch: main}}',
        '---',
        'apiVersion: kustomize.toolkit.fluxcd.io/v1',
        'kind: Kustomization',
        'metadata: {name: apps, namespace: flux-system}',
        'spec: {interval: 10m, path: ./apps, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}',
        '',
      ].join('\n'),
    );
    assert.deepEqual(await pathFindings(['.'], dir), [
      'REF010 info flux.yaml:9 path ./apps not checked (REF007): the file is in no git repository nor clusters/ folder, so nothing says what the path is relative to (it is not found from the checked folder)',
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
