import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { retestSurvivors } from './mutation-retest.ts';
import type { MutantStatus } from './mutation-score.ts';

const dir = mkdtempSync(join(tmpdir(), 'meshproof-retest-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const mutants = (...statuses: MutantStatus[]) => statuses.map((status, id) => ({ id: String(id), status }));

test('survived and uncovered mutants of the chosen files are dropped; every other result stays', () => {
  const path = join(dir, 'incremental.json');
  writeFileSync(
    path,
    JSON.stringify({
      schemaVersion: '2',
      files: {
        'src/checks/a.ts': {
          source: 'a',
          mutants: mutants('Killed', 'Survived', 'NoCoverage', 'Timeout', 'CompileError'),
        },
        'src/checks/b.ts': { source: 'b', mutants: mutants('Survived', 'Killed') },
        'src/other.ts': { source: 'o', mutants: mutants('Survived') },
      },
    }),
  );
  const dropped = retestSurvivors(path, (f) => f.startsWith('src/checks/'));
  assert.deepEqual(dropped, { 'src/checks/a.ts': 2, 'src/checks/b.ts': 1 });
  const after = JSON.parse(readFileSync(path, 'utf8'));
  assert.equal(after.schemaVersion, '2');
  assert.equal(after.files['src/checks/a.ts'].source, 'a');
  assert.deepEqual(
    after.files['src/checks/a.ts'].mutants.map((m: { id: string; status: string }) => `${m.id}:${m.status}`),
    ['0:Killed', '3:Timeout', '4:CompileError'],
  );
  assert.deepEqual(after.files['src/checks/b.ts'].mutants, [{ id: '1', status: 'Killed' }]);
  assert.deepEqual(after.files['src/other.ts'].mutants, [{ id: '0', status: 'Survived' }]);
  assert.deepEqual(readdirSync(dir), ['incremental.json'], 'no temp file left');
});

test('a file that is not a mutation report is refused by name and left as it was', () => {
  for (const [name, text, why] of [
    ['broken.json', '{"files":', /broken\.json: not a readable mutation report \(/],
    ['shape.json', '{"files":null}', /shape\.json: not a mutation report \(no "files" object\)/],
  ] as const) {
    const path = join(dir, name);
    writeFileSync(path, text);
    assert.throws(() => retestSurvivors(path, () => true), why);
    assert.equal(readFileSync(path, 'utf8'), text);
  }
});
