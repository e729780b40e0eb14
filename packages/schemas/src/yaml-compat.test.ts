import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { reindentQuotedContinuations } from './yaml-compat.ts';

test('quoted scalars continued at their key indentation parse as one string', () => {
  const text = "a:\n  description: 'first line\n  second line ''quoted''\n  third'\n  type: string\n";
  assert.throws(() => parse(text));
  assert.deepEqual(parse(reindentQuotedContinuations(text)), {
    a: { description: "first line second line 'quoted' third", type: 'string' },
  });
});

test('well-formed YAML is left as it is', () => {
  const text = "a:\n  b: \"one # not a comment\"\n  c: 'x'\n  d: |\n    it's\n";
  assert.equal(reindentQuotedContinuations(text), text);
});
