import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeTally, type MutantStatus, scoreReport } from './mutation-score.ts';

const file = (...statuses: MutantStatus[]) => ({ mutants: statuses.map((status) => ({ status })) });

test('a score counts killed and timed out over every mutant that ran or had no coverage', () => {
  const { total, files } = scoreReport({
    files: {
      'src/b.ts': file('Killed', 'Survived', 'NoCoverage', 'CompileError'),
      'src/a.ts': file('Killed', 'Timeout', 'CompileError', 'RuntimeError', 'Ignored'),
    },
  });
  assert.deepEqual(Object.keys(files), ['src/a.ts', 'src/b.ts']);
  assert.equal(files['src/a.ts']?.score, 100);
  assert.equal(files['src/b.ts']?.score, 100 / 3);
  assert.equal(total.score, 60);
  assert.equal(
    describeTally(total),
    '60.00 % (2 killed, 1 timed out, 1 survived, 1 without coverage, 2 type errors, 1 runtime errors)',
  );
});

test('a file with only type errors has no score, and an unknown status is refused', () => {
  const { files } = scoreReport({ files: { 'src/a.ts': file('CompileError') } });
  assert.equal(files['src/a.ts']?.score, undefined);
  assert.match(describeTally(files['src/a.ts'] as never), /^n\/a /);
  assert.throws(
    () => scoreReport({ files: { 'src/a.ts': file('Mangled' as MutantStatus) } }),
    /unknown mutant status "Mangled"/,
  );
});
