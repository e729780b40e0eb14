import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_CONFIG, loadPlatform } from './load.ts';

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

test('a JSON spec is validated; invalid JSON names the file and the parser error', async () => {
  const spec = {
    clusters: [{ name: 'a', mesh: 'none' }],
    apps: [{ name: 'b', namespace: 'c', image: 'd:1', versions: [{ name: 'v1', weight: 100 }] }],
  };
  const good = write('spec.json', JSON.stringify(spec));
  const result = await loadPlatform(good.file);
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  assert.equal(result.file, good.file);
  assert.equal(result.platform.apps[0]?.image, 'd:1');
  const bad = write('spec.json', '{ "clusters": [');
  const loaded = await loadPlatform(bad.file);
  assert.equal(loaded.file, bad.file);
  assert.deepEqual(loaded.ok ? [] : loaded.errors.map((e) => e.path), ['(file)']);
  assert.match(messageOf(loaded), new RegExp(`^${bad.file.replaceAll('.', '\\.')} is not valid JSON: \\S`));
});

test('a module config without a default export is refused with the fix', async () => {
  const { file } = write('meshproof.config.mjs', 'export const spec = {};\n');
  assert.equal(
    messageOf(await loadPlatform(file)),
    `${file} has no default export; write \`export default definePlatform({...})\``,
  );
});

test('a module config with shape errors returns them with the resolved file', async () => {
  const { dir, file } = write('meshproof.config.ts', 'export default { clusters: [], apps: [] };\n');
  const result = await loadPlatform('meshproof.config.ts', dir);
  assert.equal(result.file, file);
  assert.deepEqual(result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`), [
    'clusters: expected at least 1 item(s); got 0',
    'apps: expected at least 1 item(s); got 0',
  ]);
});

test('an absolute path that is missing is named once; a relative one resolves against the working directory', async () => {
  const { dir } = write('x.txt', '');
  const absent = join(dir, 'absent.ts');
  assert.equal(messageOf(await loadPlatform(absent)), `config file not found: ${absent}`);
  const { file } = write('spec.json', '{}');
  const fromCwd = await loadPlatform(relative(process.cwd(), file));
  assert.equal(fromCwd.file, file);
  assert.match(messageOf(fromCwd), /expected array; got nothing/);
});

test('a module that imports a missing file, or throws a non-Error, reports without a position', async () => {
  const { dir, file } = write('imports.config.ts', "import './missing.ts';\nexport default {};\n");
  assert.match(
    messageOf(await loadPlatform(file)),
    new RegExp(
      `^cannot load ${file.replaceAll('.', '\\.')}: Cannot find module '${join(dir, 'missing.ts').replaceAll('.', '\\.')}'`,
    ),
  );
  const thrower = write('throws.config.mjs', "throw 'not an error';\n");
  assert.equal(
    messageOf(await loadPlatform('throws.config.mjs', thrower.dir)),
    'cannot load throws.config.mjs: not an error',
  );
});

test('the default config file name', () => {
  assert.equal(DEFAULT_CONFIG, 'meshproof.config.ts');
});
