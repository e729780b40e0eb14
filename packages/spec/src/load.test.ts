import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadPlatform } from './load.ts';

const write = (name: string, source: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'meshproof-load-'));
  writeFileSync(join(dir, name), source);
  return { dir, file: join(dir, name) };
};

const messageOf = (result: Awaited<ReturnType<typeof loadPlatform>>) => {
  assert.equal(result.ok, false);
  return result.ok ? '' : result.errors.map((e) => e.message).join('\n');
};

test('a syntax error in the config names file:line:col and shows the code frame', async () => {
  const { file } = write(
    'meshproof.config.ts',
    "export default {\n  clusters: [{ name: 'a' mesh: 'none' }],\n  apps: [],\n};\n",
  );
  const message = messageOf(await loadPlatform(file));
  assert.match(message, /meshproof\.config\.ts:2:26: Expected ',', got 'ident'/);
  assert.match(message, /> 2 \| {3}clusters: \[\{ name: 'a' mesh: 'none' \}\],/);
  // The caret sits under `mesh`, the token Node stopped at.
  const lines = message.split('\n');
  const code = lines.findIndex((l) => l.startsWith('> 2 |'));
  const caret = lines[code + 1] ?? '';
  assert.equal(
    caret.indexOf('^') - caret.indexOf('|'),
    (lines[code] ?? '').indexOf('mesh') - (lines[code] ?? '').indexOf('|'),
  );
});

test('an error thrown while the config runs points at its line too', async () => {
  const { file } = write('throws.config.ts', "const x = 1;\nthrow new Error('boom');\nexport default x;\n");
  const message = messageOf(await loadPlatform(file));
  assert.match(message, /throws\.config\.ts:2:7: boom/);
  assert.match(message, /> 2 \| throw new Error\('boom'\);/);
});

test('a relative path is read from the given directory and a missing file names the resolved path', async () => {
  const { dir } = write('spec.json', '{}');
  const found = await loadPlatform('spec.json', dir);
  assert.equal(found.file, join(dir, 'spec.json'));
  const missing = messageOf(await loadPlatform('nope.ts', dir));
  assert.equal(missing, `config file not found: nope.ts (looked for ${join(dir, 'nope.ts')})`);
});
