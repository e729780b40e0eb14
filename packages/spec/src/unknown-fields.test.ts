// Suggestions for unknown fields on schemas other than the spec's: the walk through records, and
// the plain message when the schema cannot be walked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { issuesToErrors } from './issues.ts';

const errors = (schema: z.ZodType, input: unknown) => {
  const parsed = schema.safeParse(input, { reportInput: true });
  assert.equal(parsed.success, false);
  return parsed.success
    ? []
    : issuesToErrors(parsed.error.issues, schema).map((e) => `${e.path}: ${e.message}`);
};

test('inside a record of objects', () => {
  const schema = z.strictObject({
    teams: z.record(z.string(), z.strictObject({ owner: z.string() }).optional()),
  });
  assert.deepEqual(errors(schema, { teams: { a: { owner: 'x', ownr: 'y' } } }), [
    'teams.a.ownr: unknown field "ownr" (did you mean "owner"?); expected one of owner',
  ]);
});

test('a schema that cannot be walked gives the unknown field without a list', () => {
  const leaf = z.strictObject({ a: z.number() });
  assert.deepEqual(
    errors(
      z.lazy(() => leaf),
      { a: 1, b: 2 },
    ),
    ['b: unknown field "b"'],
  );
  assert.deepEqual(errors(z.strictObject({ x: z.lazy(() => z.array(leaf)) }), { x: [{ a: 1, b: 2 }] }), [
    'x[0].b: unknown field "b"',
  ]);
});
