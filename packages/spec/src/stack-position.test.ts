// Which lines of a syntax error's stack give the position: the caret line is the one made of
// carets only, not a source line that merely contains or ends with one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { errorPosition } from './load-error.ts';

const file = '/srv/repo/meshproof.config.ts';
const at = (stack: string) => errorPosition(Object.assign(new Error('x'), { stack }), file);

test('a source line ending in "^" or starting with it is not the caret line', () => {
  assert.deepEqual(at(`${file}:3\nconst x = a ^\n          ^\nSyntaxError: x`), { line: 3, col: 11 });
  assert.deepEqual(at(`${file}:3\n  ^=2;\n    ^^\nSyntaxError: x`), { line: 3, col: 5 });
});

test('the head is the whole first line: a path with more after the line number is not one', () => {
  assert.equal(at(`${file}:3 and more\n  ^\nSyntaxError: x`), undefined);
});

test('a stack frame by file:// URL matches only the same file', () => {
  const url = pathToFileURL(file).href;
  assert.deepEqual(at(`Error: x\n    at ${url}:2:4`), { line: 2, col: 4 });
  assert.equal(at(`Error: x\n    at ${url}x:2:4`), undefined);
});
