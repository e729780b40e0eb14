import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goPatternToJs, goRegExp } from './go-regexp.ts';

test('RE2 shorthands become JavaScript Unicode classes', () => {
  assert.equal(goPatternToJs('^\\PC*$'), '^\\P{C}*$');
  assert.equal(goRegExp('^\\pL+$', 'u').test('Größe'), true);
  assert.equal(goRegExp('^\\pL+$', 'u').test('a1'), false);
  assert.equal(goRegExp('\\Aab\\z', 'u').test('ab'), true);
});

test('a pattern JavaScript cannot compile accepts everything instead of throwing', () => {
  assert.equal(goRegExp('(?P<x>a', 'u').test('anything'), true);
});
