import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCaptured } from '../test-io.ts';

const repoConfig = fileURLToPath(new URL('../../../../meshproof.config.ts', import.meta.url));

// The repo's config imports @meshproof/spec; a copy in a temp dir gets a local stand-in for definePlatform.
function tempConfig(edit: (source: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshproof-validate-'));
  const source = readFileSync(repoConfig, 'utf8').replace(
    /import \{ definePlatform \} from '@meshproof\/spec';/,
    'const definePlatform = (spec: unknown) => spec;',
  );
  const file = join(dir, 'meshproof.config.ts');
  writeFileSync(file, edit(source));
  return file;
}

test('validate accepts the default config', async () => {
  const { code, stdout } = await runCaptured(['validate', '--config', repoConfig]);
  assert.equal(code, 0);
  assert.match(stdout, /valid — 5 clusters/);
});

test('validate rejects a misspelled mesh with exit 2, the path and a suggestion', async () => {
  const file = tempConfig((s) => s.replace("mesh: 'istio-ambient'", "mesh: 'istio-ambiant'"));
  const { code, stderr } = await runCaptured(['validate', '-c', file]);
  assert.equal(code, 2);
  assert.match(
    stderr,
    /clusters\[1\]\.mesh: expected one of none\|istio-ambient\|.*got "istio-ambiant" \(did you mean "istio-ambient"\?\)/,
  );
});

test('validate reads JSON specs and reports JSON syntax errors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshproof-validate-'));
  const file = join(dir, 'spec.json');
  writeFileSync(file, '{"clusters": [');
  const { code, stderr } = await runCaptured(['validate', '--config', file]);
  assert.equal(code, 2);
  assert.match(stderr, /is not valid JSON/);
});

test('a config module that does not load is reported, not thrown', async () => {
  const file = tempConfig(() => 'export default {{;');
  const { code, stderr } = await runCaptured(['validate', '--config', file]);
  assert.equal(code, 2);
  assert.match(stderr, /cannot load/);
});

test('unknown flags and commands exit 2; --help exits 0', async () => {
  assert.equal((await runCaptured(['validate', '--nope'])).code, 2);
  const unknown = await runCaptured(['valdate']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "valdate"/);
  const help = await runCaptured(['validate', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: meshproof validate/);
});

test('validate warns, without failing, about spec fields a cluster cannot apply', async () => {
  const { code, stderr } = await runCaptured(['validate', '--config', repoConfig]);
  assert.equal(code, 0);
  assert.match(
    stderr,
    /^warning: apps\[1\]\.resilience\.retries is not applied on kind-cilium \(cilium\): /m,
  );
  assert.doesNotMatch(stderr, /kind-istio-sidecar \(istio-sidecar\): .*retries/);
});
