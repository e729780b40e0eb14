// REF007 on trees rendered outside a clusters/ folder (`meshproof render --out DIR`): Flux paths
// `./clusters/<name>/...` are read against DIR/<name>/, each DIR/<name>/ is its own cluster set, and a
// path the input cannot place is reported as unchecked (REF010, info), never as missing.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { runChecks } from '../engine.ts';
import { InputError } from '../load.ts';
import { fluxReferenceChecks } from './flux-refs.ts';

const LAYERS = ['flux', 'infrastructure/crds', 'apps'];

const fluxFiles = (name: string, paths: string[]) => ({
  'sync/sync.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 1m, url: ssh://git@example.invalid/org/repo, ref: {branch: main}}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 10m, path: ./clusters/${name}/flux, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}
`,
  'flux/layers.yaml': paths
    .map(
      (p, i) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: layer-${i}, namespace: flux-system}
spec: {interval: 10m, path: ${p}, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}
`,
    )
    .join('---\n'),
  'infrastructure/crds/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: crds, namespace: a}\n',
  'apps/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: apps, namespace: a}\n',
});

/** DIR/<name>/... for every cluster, as `meshproof render --out DIR` writes it. */
function renderedTree(clusters: Record<string, string[]>): string {
  const root = mkdtempSync(join(tmpdir(), 'meshproof-out-'));
  for (const [name, paths] of Object.entries(clusters)) {
    for (const [file, text] of Object.entries(fluxFiles(name, paths))) {
      const abs = join(root, 'out', name, file);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, text);
    }
  }
  return join(root, 'out');
}

const good = (name: string) => LAYERS.slice(1).map((l) => `./clusters/${name}/${l}`);

// REF007 and REF010 only: a partial input (one layer folder) also lacks its sources (REF006).
const pathChecks = fluxReferenceChecks.filter((c) => c.id === 'REF007' || c.id === 'REF010');

async function check(cwd: string, path = '.') {
  const report = await runChecks({ paths: [path], cwd, checks: pathChecks });
  return {
    report,
    ids: report.findings.map((f) => `${f.id} ${f.severity} ${f.file}`),
    of: (id: string) => report.findings.filter((f) => f.id === id),
  };
}

test('a tree rendered to a folder not named clusters/ checks clean, one cluster set per cluster', async () => {
  const out = renderedTree({ alpha: good('alpha'), beta: good('beta') });
  const { report, ids } = await check(out);
  assert.deepEqual(ids, []);
  assert.equal(report.clusters, 2, 'alpha/ and beta/ are separate cluster sets');
  // The same tree checked from elsewhere, and one cluster folder on its own (or one of its layers).
  assert.deepEqual((await check(tmpdir(), out)).ids, []);
  assert.deepEqual((await check(join(out, 'alpha'))).ids, []);
  const flux = await check(join(out, 'alpha', 'flux'));
  assert.deepEqual(flux.ids, []);
  assert.equal(flux.report.clusters, 1);
});

test('a missing layer of a tree rendered outside clusters/ is still REF007', async () => {
  const out = renderedTree({ alpha: [...good('alpha'), './clusters/alpha/nowhere'] });
  for (const cwd of [out, join(out, 'alpha')]) {
    const { of, ids } = await check(cwd);
    assert.equal(of('REF007').length, 1, ids.join('\n'));
    assert.match(
      of('REF007')[0]?.message ?? '',
      /path \.\/clusters\/alpha\/nowhere does not exist .*alpha\//,
    );
    assert.equal(of('REF010').length, 0);
  }
});

test('a ./clusters/ path the input cannot place is REF010 (info), not a REF007 error', async () => {
  // Only the flux/ folder, copied somewhere not named after its cluster: clusters/ is nowhere to be seen.
  const copy = join(mkdtempSync(join(tmpdir(), 'meshproof-copy-')), 'copied');
  mkdirSync(copy);
  const files = fluxFiles('alpha', good('alpha'));
  writeFileSync(join(copy, 'layers.yaml'), files['flux/layers.yaml']);
  const { of, report } = await check(copy);
  assert.equal(of('REF007').length, 0);
  assert.equal(of('REF010').length, 2);
  assert.ok(of('REF010').every((f) => f.severity === 'info'));
  assert.match(of('REF010')[0]?.message ?? '', /not checked .* no folder alpha\//);
  assert.ok(!report.findings.some((f) => f.severity === 'error'));
});

test('a folder without YAML files is an InputError, not an empty green report', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'meshproof-empty-'));
  writeFileSync(join(empty, 'README.md'), 'not yaml\n');
  await assert.rejects(
    runChecks({ paths: [empty], cwd: tmpdir() }),
    (e: unknown) => e instanceof InputError && e.message === `no YAML files under ${empty}`,
  );
  // One empty folder among others is still refused: its name may be a typo.
  const full = renderedTree({ alpha: good('alpha') });
  await assert.rejects(runChecks({ paths: [full, empty], cwd: tmpdir() }), InputError);
});
