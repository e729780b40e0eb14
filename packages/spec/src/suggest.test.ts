import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closest, didYouMean, editDistance } from './suggest.ts';

test('edit distance counts insertions, deletions and substitutions', () => {
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('abc', ''), 3);
  assert.equal(editDistance('same', 'same'), 0);
  assert.equal(editDistance('ab', 'ba'), 2);
  assert.equal(editDistance('flaw', 'lawn'), 2);
  assert.equal(editDistance('abcdef', 'azcdxf'), 2);
  assert.equal(editDistance('a', 'b'), 1);
});

test('closest ignores candidates that are too far away', () => {
  assert.equal(closest('istio-ambiant', ['none', 'istio-ambient', 'istio-sidecar']), 'istio-ambient');
  assert.equal(closest('zzzzzz', ['none', 'linkerd']), undefined);
  assert.equal(closest('x', []), undefined);
});

test('the limit is a third of the word, but never below 2 edits', () => {
  // 9 letters: up to 3 edits.
  assert.equal(closest('abcdefghi', ['xyzdefghi']), 'xyzdefghi');
  assert.equal(closest('abcdefghi', ['wxyzefghi']), undefined);
  // 2 letters: still 2 edits.
  assert.equal(closest('ab', ['xy']), 'xy');
  assert.equal(closest('ab', ['xyz']), undefined);
  // 8 letters: floor(8 / 3) = 2.
  assert.equal(closest('abcdefgh', ['xycdefgh']), 'xycdefgh');
  assert.equal(closest('abcdefgh', ['xyzdefgh']), undefined);
});

test('case does not count; the nearest wins, and the first of equals', () => {
  assert.equal(closest('LINKERD', ['cilium', 'linkerd']), 'linkerd');
  assert.equal(closest('abcdef', ['abxxef', 'abcdxf', 'abcdef']), 'abcdef');
  assert.equal(closest('abcdef', ['abcxef', 'abcdxf']), 'abcxef');
});

test('didYouMean phrases the hint or says nothing', () => {
  assert.equal(didYouMean('GTE', ['GET', 'PUT']), ' (did you mean "GET"?)');
  assert.equal(didYouMean('zzzzzz', ['GET']), '');
});
