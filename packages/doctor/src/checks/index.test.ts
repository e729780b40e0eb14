// The check list as a whole: IDs and texts, a pinned severity per check, and a fixture suite per
// check module (each `<module>.ts` exporting checks calls fixtureSuite from its `<module>.test.ts`),
// so no check can lose its fixtures by a file being dropped or a list being left out.
import assert from 'node:assert/strict';
import { existsSync, globSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import type { Check } from '../model.ts';
import { allChecks } from './index.ts';
import { FIXTURES } from './testing/fixture-suite.ts';
import { OPINIONS, SEVERITY } from './testing/severity.ts';

const isCheck = (v: unknown): v is Check =>
  typeof v === 'object' && v !== null && 'id' in v && typeof (v as Check).run === 'function';

test('at least 30 checks, each with a description, hint and unique ID', () => {
  assert.ok(allChecks.length >= 30, `only ${allChecks.length} checks`);
  assert.equal(new Set(allChecks.map((c) => c.id)).size, allChecks.length);
  for (const c of allChecks) {
    assert.match(c.id, /^[A-Z]{3,4}\d{3}$/);
    assert.ok(c.description.length > 40 && c.hint.length > 10 && c.title.length > 5, c.id);
  }
});

test('every check has its severity pinned in testing/severity.ts, and only checks that exist', () => {
  for (const c of allChecks) assert.equal(c.severity, SEVERITY[c.id], `${c.id} severity`);
  const ids = new Set(allChecks.map((c) => c.id));
  assert.deepEqual(
    Object.keys(SEVERITY).filter((id) => !ids.has(id)),
    [],
    'pinned severities of checks that do not exist',
  );
});

test('the pinned opinions are checks that exist', () => {
  const ids = new Set(allChecks.map((c) => c.id));
  assert.deepEqual(
    [...OPINIONS].filter((id) => !ids.has(id)),
    [],
  );
});

test('every check has a fail and a pass fixture', () => {
  for (const c of allChecks)
    for (const kind of ['fail', 'pass'])
      assert.ok(existsSync(join(FIXTURES, c.id, kind)), `missing fixture ${c.id}/${kind}`);
});

test('every check module runs its checks through fixtureSuite in its own test file', async () => {
  const dir = import.meta.dirname;
  const modules = [
    ...globSync('*.ts', { cwd: dir })
      .filter((f) => !f.endsWith('.test.ts') && f !== 'index.ts')
      .map((f) => join(dir, f)),
    join(dir, '..', 'suppress.ts'),
  ];
  const suited = new Set<Check>();
  for (const file of modules) {
    const lists = Object.entries(await import(file)).filter(
      (entry): entry is [string, Check[]] =>
        Array.isArray(entry[1]) && entry[1].length > 0 && entry[1].every(isCheck),
    );
    if (lists.length === 0) continue;
    const testFile = file.replace(/\.ts$/, '.test.ts');
    const text = existsSync(testFile) ? readFileSync(testFile, 'utf8') : '';
    for (const [name, checks] of lists) {
      assert.match(
        text,
        new RegExp(`\\bfixtureSuite\\(${name}\\b`),
        `${basename(testFile)} does not call fixtureSuite(${name})`,
      );
      for (const c of checks) suited.add(c);
    }
  }
  assert.deepEqual(
    allChecks.filter((c) => !suited.has(c)).map((c) => c.id),
    [],
    'checks in allChecks that no module test runs on its fixtures',
  );
});
