import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadLock } from '@meshproof/schemas';
import { NO_MIRROR, testMirror } from '@meshproof/schemas/testing';
import { runCaptured } from '../test-io.ts';

test('schemas sync --mirror copies, verifies and reports what it wrote', { skip: NO_MIRROR }, async () => {
  const cache = join(mkdtempSync(join(tmpdir(), 'meshproof-schemas-')), 'schemas');
  const { code, stdout, stderr } = await runCaptured([
    'schemas',
    'sync',
    '--mirror',
    testMirror as string,
    '--cache',
    cache,
  ]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /synced \d+ upstream files \(from mirror .+\), \d+ kind versions into /);
  assert.ok(existsSync(join(cache, 'manifest.json')));
});

test('schemas sync refuses a tampered mirror, naming the file, and writes no cache', {
  skip: NO_MIRROR,
}, async () => {
  const work = mkdtempSync(join(tmpdir(), 'meshproof-schemas-'));
  const mirror = join(work, 'mirror');
  const sources = loadLock().sources;
  for (const s of sources) cpSync(join(testMirror as string, s.file), join(mirror, s.file));
  const victim = sources.find((s) => s.file.endsWith('crd.yaml')) ?? sources[0];
  assert.ok(victim);
  const bytes = readFileSync(join(mirror, victim.file));
  bytes[10] = (bytes[10] ?? 0) ^ 0x20;
  writeFileSync(join(mirror, victim.file), bytes);
  const cache = join(work, 'cache');
  const { code, stderr } = await runCaptured(['schemas', 'sync', '--mirror', mirror, '--cache', cache]);
  assert.equal(code, 1);
  assert.ok(stderr.includes(`sha256 mismatch for ${victim.file}`), stderr);
  assert.equal(existsSync(cache), false);
});

test('schemas: bad usage exits 2', async () => {
  assert.equal((await runCaptured(['schemas'])).code, 2);
  const r = await runCaptured(['schemas', 'sync', '--mirror', '/nonexistent/mirror']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /mirror \/nonexistent\/mirror \(from --mirror\) is not a directory/);
});
