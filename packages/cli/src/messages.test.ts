// What the CLI says when something is off: balanced quotes, suggestions, the README's way to run a
// command (`./dev meshproof …`), and what a render removed.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCaptured, writeSpec } from './test-io.ts';

const balanced = (s: string) => {
  for (const q of ["'", '"']) assert.equal((s.split(q).length - 1) % 2, 0, `unbalanced ${q} in: ${s}`);
};

test('an unknown flag is named with balanced quotes and a suggestion, exit 2', async () => {
  for (const argv of [
    ['check', '--frobnicate'],
    ['render', '--frobnicate'],
    ['validate', '--frobnicate'],
  ]) {
    const { code, stderr } = await runCaptured(argv);
    assert.equal(code, 2);
    assert.equal(stderr, `meshproof ${argv[0]}: unknown option --frobnicate (see --help)\n`);
  }
  const typo = await runCaptured(['check', '--formt', 'json']);
  assert.match(typo.stderr, /unknown option --formt \(did you mean "--format"\?\)/);
  balanced(typo.stderr);
  const missing = await runCaptured(['check', '--format']);
  assert.equal(missing.code, 2);
  balanced(missing.stderr);
  assert.match(missing.stderr, /--format <value> argument missing/);
});

const spec = (dir: string, clusters: string[]) =>
  writeSpec(
    dir,
    clusters.map((name) => ({ name, mesh: 'none' })),
  );

test('hints say ./dev meshproof, as the README runs it', async () => {
  const usage = await runCaptured([]);
  assert.match(usage.stderr, /Run `\.\/dev meshproof <command> --help`/);
  const dir = mkdtempSync(join(tmpdir(), 'meshproof-msg-'));
  const out = join(dir, 'clusters');
  const config = spec(dir, ['kind-a']);
  await runCaptured(['render', '-c', config, '--out', out]);
  writeFileSync(join(out, 'kind-a/kind.yaml'), 'edited\n');
  const drift = await runCaptured(['render', '-c', config, '--out', out, '--check']);
  assert.match(drift.stderr, /run `\.\/dev meshproof render`/);
  const cache = await runCaptured(['check', out, '--schemas', join(dir, 'no-cache')]);
  assert.match(cache.stderr, /run `\.\/dev meshproof schemas sync` first/);
  for (const text of [usage.stderr, drift.stderr, cache.stderr])
    assert.doesNotMatch(text, /(^|[^/])`meshproof /m, 'every command hint starts with ./dev');
  rmSync(dir, { recursive: true });
});

test('a full render says which cluster folders it removed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshproof-msg-'));
  const out = join(dir, 'clusters');
  await runCaptured(['render', '-c', spec(dir, ['kind-a', 'kind-b', 'kind-c']), '--out', out]);
  const { code, stdout } = await runCaptured(['render', '-c', spec(dir, ['kind-b']), '--out', out]);
  assert.equal(code, 0);
  assert.match(stdout, /removed \S*clusters\/kind-a\/: no cluster "kind-a" in the spec any more/);
  assert.match(stdout, /removed \S*clusters\/kind-c\/: no cluster "kind-c" in the spec any more/);
  assert.ok(!existsSync(join(out, 'kind-a')) && existsSync(join(out, 'kind-b')));
  const again = await runCaptured(['render', '-c', spec(dir, ['kind-b']), '--out', out]);
  assert.doesNotMatch(again.stdout, /removed/);
  rmSync(dir, { recursive: true });
});
