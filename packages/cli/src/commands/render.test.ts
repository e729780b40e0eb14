import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCaptured, writeSpec } from '../test-io.ts';

function workspace(meshes: string[] = ['none']) {
  const dir = mkdtempSync(join(tmpdir(), 'meshproof-render-'));
  const config = writeSpec(
    dir,
    meshes.map((mesh, i) => ({ name: `kind-${mesh}-${i}`, mesh })),
  );
  return { dir, config, out: join(dir, 'clusters') };
}

test('render writes every cluster, then --check is clean', async () => {
  const { dir, config, out } = workspace(['none', 'none']);
  const first = await runCaptured(['render', '-c', config, '--out', out]);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /rendered 2 clusters \(\d+ files\)/);
  assert.match(readFileSync(join(out, 'kind-none-0/kind.yaml'), 'utf8'), /kindest\/node:v1\.35\.\d+@sha256:/);
  const check = await runCaptured(['render', '-c', config, '--out', out, '--check']);
  assert.equal(check.code, 0, check.stderr);
  assert.match(check.stdout, /up to date/);
  rmSync(dir, { recursive: true });
});

test('render --check exits 1 listing drifted, missing and extra files, and writes nothing', async () => {
  const { dir, config, out } = workspace();
  await runCaptured(['render', '-c', config, '--out', out]);
  const file = join(out, 'kind-none-0/apps/shop/web.yaml');
  writeFileSync(file, 'edited\n');
  rmSync(join(out, 'kind-none-0/kind.yaml'));
  writeFileSync(join(out, 'kind-none-0/stray.yaml'), 'x\n');
  const { code, stderr } = await runCaptured(['render', '-c', config, '--out', out, '--check']);
  assert.equal(code, 1);
  assert.match(stderr, /drifted +.*apps\/shop\/web\.yaml/);
  assert.match(stderr, /missing +.*kind-none-0\/kind\.yaml/);
  assert.match(stderr, /extra +.*stray\.yaml/);
  assert.equal(readFileSync(file, 'utf8'), 'edited\n', '--check wrote nothing');
  rmSync(dir, { recursive: true });
});

test('--cluster renders one cluster and leaves the others alone; an unknown name is exit 2 with a hint', async () => {
  const { dir, config, out } = workspace(['none', 'none']);
  await runCaptured(['render', '-c', config, '--out', out]);
  writeFileSync(join(out, 'kind-none-1/kind.yaml'), 'left alone\n');
  const one = await runCaptured(['render', '-c', config, '--out', out, '--cluster', 'kind-none-0']);
  assert.equal(one.code, 0, one.stderr);
  assert.equal(readFileSync(join(out, 'kind-none-1/kind.yaml'), 'utf8'), 'left alone\n');
  const bad = await runCaptured(['render', '-c', config, '--out', out, '--cluster', 'kind-none-9']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /no cluster named "kind-none-9" \(did you mean "kind-none-\d"\?\)/);
  rmSync(dir, { recursive: true });
});

test('a render that fails (canary + mesh faults on ambient) exits 1 and leaves the output untouched', async () => {
  const { dir, config, out } = workspace(['istio-ambient']);
  await runCaptured(['render', '-c', config, '--out', out]);
  const file = join(out, 'kind-istio-ambient-0/kind.yaml');
  const before = readFileSync(file, 'utf8');
  const spec = JSON.parse(readFileSync(config, 'utf8'));
  spec.clusters[0].name = 'kind-renamed';
  spec.apps[0].canary = {};
  spec.apps[0].faults = { abort: { httpStatus: 503, percent: 10 } };
  writeFileSync(config, JSON.stringify(spec));
  const { code, stderr } = await runCaptured(['render', '-c', config, '--out', out]);
  assert.equal(code, 1, stderr);
  assert.match(stderr, /nothing written: .*fault injection cannot be combined with a canary/);
  assert.equal(readFileSync(file, 'utf8'), before);
  assert.ok(!existsSync(join(out, 'kind-renamed')));
  rmSync(dir, { recursive: true });
});

const repoConfig = fileURLToPath(new URL('../../../../meshproof.config.ts', import.meta.url));

test('meshproof check finds no problems in the rendered baseline and Istio clusters', async (t) => {
  // The doctor resolves Flux paths from the folder holding clusters/, like the repository root.
  const dir = mkdtempSync(join(tmpdir(), 'meshproof-render-check-'));
  const out = join(dir, 'clusters');
  const rendered = await runCaptured(['render', '-c', repoConfig, '--out', out]);
  assert.equal(rendered.code, 0, rendered.stderr);
  const args = [
    'check',
    ...['kind-baseline', 'kind-istio-ambient', 'kind-istio-sidecar'].map((c) => join(out, c)),
  ];
  // The schema checks need the cache `meshproof schemas sync` writes; the other checks run regardless.
  if (!existsSync('.cache/schemas')) {
    t.diagnostic('no .cache/schemas: running meshproof check --skip-schemas');
    args.push('--skip-schemas');
  }
  const { code, stdout, stderr } = await runCaptured(args);
  assert.equal(code, 0, `${stdout}${stderr}`);
  assert.match(stdout, /0 error\(s\), 0 warning\(s\)/);
  rmSync(dir, { recursive: true });
});

test('meshproof check reports 0 errors on every cluster the repository renders (metrics-server included)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'meshproof-render-check-all-'));
  const out = join(dir, 'clusters');
  const rendered = await runCaptured(['render', '-c', repoConfig, '--out', out]);
  assert.equal(rendered.code, 0, rendered.stderr);
  const clusters = [
    'kind-baseline',
    'kind-istio-ambient',
    'kind-istio-sidecar',
    'kind-linkerd',
    'kind-cilium',
  ];
  for (const c of clusters) {
    assert.ok(existsSync(join(out, c, 'infrastructure/controllers/metrics-server.yaml')), c);
  }
  const args = ['check', ...clusters.map((c) => join(out, c))];
  if (!existsSync('.cache/schemas')) {
    t.diagnostic('no .cache/schemas: running meshproof check --skip-schemas');
    args.push('--skip-schemas');
  }
  const { code, stdout, stderr } = await runCaptured(args);
  assert.equal(code, 0, `${stdout}${stderr}`);
  assert.match(stdout, /\b0 error\(s\)/);
  rmSync(dir, { recursive: true });
});

test('render refuses to replace a folder that is not a previous render, or a file, with exit 2', async () => {
  const { dir, config } = workspace();
  const foreign = join(dir, 'mine');
  mkdirSync(foreign);
  writeFileSync(join(foreign, 'important.txt'), 'keep me\n');
  const refused = await runCaptured(['render', '-c', config, '--out', foreign]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /refusing to replace .*mine: it holds files that are not a meshproof render/);
  assert.equal(readFileSync(join(foreign, 'important.txt'), 'utf8'), 'keep me\n');

  const file = join(dir, 'a-file');
  writeFileSync(file, 'x');
  for (const out of [file, join(file, 'sub')]) {
    const bad = await runCaptured(['render', '-c', config, '--out', out]);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /is a file/);
  }
  assert.equal(readFileSync(file, 'utf8'), 'x');
  rmSync(dir, { recursive: true });
});
