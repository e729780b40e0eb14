// Pointing at the line of a config that failed to load: the stack formats Node uses, the frame
// drawn around the line. Node's real errors are in load.test.ts; these pin the edges.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { codeFrame, describeLoadError, errorPosition } from './load-error.ts';

const withStack = (message: string, stack: string) => Object.assign(new Error(message), { stack });
const file = '/srv/repo/meshproof.config.ts';

describe('codeFrame', () => {
  const source = ['one', 'two', 'three', 'four'].join('\n');

  test('the line before and after, a marker on the line and a caret under the column', () => {
    assert.equal(
      codeFrame(source, { line: 2, col: 3 }),
      ['  1 | one', '> 2 | two', '    |   ^', '  3 | three'].join('\n'),
    );
  });

  test('the first and last lines have no neighbour outside the file', () => {
    assert.equal(codeFrame(source, { line: 1, col: 1 }), ['> 1 | one', '    | ^', '  2 | two'].join('\n'));
    assert.equal(
      codeFrame(source, { line: 4, col: 5 }),
      ['  3 | three', '> 4 | four', '    |     ^'].join('\n'),
    );
  });

  test('line numbers are right-aligned to the widest one shown; blank lines carry no trailing space', () => {
    const lines = Array.from({ length: 10 }, (_, i) => (i === 8 ? '' : `line ${i + 1}`)).join('\n');
    assert.equal(
      codeFrame(lines, { line: 10, col: 2 }),
      ['   9 |', '> 10 | line 10', '     |  ^'].join('\n'),
    );
    assert.equal(
      codeFrame(lines, { line: 9, col: 1 }),
      ['   8 | line 8', '>  9 |', '     | ^', '  10 | line 10'].join('\n'),
    );
  });

  test('a column of 0 still puts the caret at the start', () => {
    assert.equal(codeFrame('x', { line: 1, col: 0 }), ['> 1 | x', '    | ^'].join('\n'));
  });
});

describe('errorPosition', () => {
  test("a syntax error: the stack's head names file:line, the caret line the column", () => {
    const stack = `${file}:7\n  mesh: 'none'\n        ^^^^\n\nSyntaxError: Unexpected identifier`;
    assert.deepEqual(errorPosition(withStack('x', stack), file), { line: 7, col: 9 });
    const url = `${pathToFileURL(file).href}:12\nfoo bar\n    ^^^\nSyntaxError: x`;
    assert.deepEqual(errorPosition(withStack('x', url), file), { line: 12, col: 5 });
  });

  test('a syntax head without a caret line points at column 1', () => {
    assert.deepEqual(errorPosition(withStack('x', `${file}:3\nfoo ^ bar\nSyntaxError: x`), file), {
      line: 3,
      col: 1,
    });
  });

  test('a runtime error: the first stack frame in the file, as path or file:// URL', () => {
    const stack = [
      'Error: boom',
      '    at helper (/srv/repo/other.ts:1:1)',
      `    at ${pathToFileURL(file).href}:4:11`,
      `    at (${file}:9:2)`,
    ].join('\n');
    assert.deepEqual(errorPosition(withStack('boom', stack), file), { line: 4, col: 11 });
    assert.deepEqual(errorPosition(withStack('boom', `Error: boom\n    at f (${file}:21:3)`), file), {
      line: 21,
      col: 3,
    });
  });

  test('no position when the stack never names the file, or when nothing Error-like was thrown', () => {
    assert.equal(errorPosition(withStack('x', '/srv/repo/other.ts:3\nSyntaxError: x'), file), undefined);
    assert.equal(
      errorPosition(withStack('x', 'Error: x\n    at f (/srv/repo/meshproof.config.tsx:1:1)'), file),
      undefined,
    );
    assert.equal(
      errorPosition(withStack('x', 'Error: x\n    at node:internal/modules:1:1'), file),
      undefined,
    );
    assert.equal(errorPosition('boom', file), undefined);
    assert.equal(errorPosition(Object.assign(new Error('x'), { stack: undefined }), file), undefined);
  });

  test('a file:// URL that is no local path is not the file, and does not throw', () => {
    // An encoded "/" makes fileURLToPath refuse the URL.
    const stack = 'Error: x\n    at f (file:///srv/repo%2Fmeshproof.config.ts:1:1)';
    assert.equal(errorPosition(withStack('x', stack), file), undefined);
    assert.equal(
      errorPosition(withStack('x', `file:///srv/repo%2Fmeshproof.config.ts:1\nSyntaxError: x`), file),
      undefined,
    );
  });
});

describe('describeLoadError', () => {
  test('position, first line of the message and the frame', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshproof-load-error-'));
    const path = join(dir, 'spec.ts');
    writeFileSync(path, 'a\nb\nc\n');
    const error = withStack('bad b\nmore detail', `Error: bad b\n    at (${path}:2:1)`);
    assert.equal(
      describeLoadError(error, path, 'spec.ts'),
      ['cannot load spec.ts:2:1: bad b', '  1 | a', '> 2 | b', '    | ^', '  3 | c'].join('\n'),
    );
  });

  test('a file that vanished since keeps the position without a frame', () => {
    const gone = '/nonexistent/meshproof/spec.ts';
    assert.equal(
      describeLoadError(withStack('bad', `Error: bad\n    at (${gone}:5:6)`), gone, 'spec.ts'),
      'cannot load spec.ts:5:6: bad',
    );
  });

  test('without a position: just the message, also for a thrown non-Error', () => {
    assert.equal(
      describeLoadError(new Error('Cannot find module x\nRequire stack'), file, 'c.ts'),
      'cannot load c.ts: Cannot find module x',
    );
    assert.equal(describeLoadError('a string', file, 'c.ts'), 'cannot load c.ts: a string');
  });
});
