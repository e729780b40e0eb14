import assert from 'node:assert/strict';
import { validSpec } from './fixture.ts';
import type { SpecError } from './types.ts';
import { validatePlatform } from './validate.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests write deliberately wrong specs.
export type Loose = any;

/** The errors of the fixture spec after `mutate` breaks it; fails when the spec is still accepted. */
export function errorsOf(mutate: (spec: Loose) => void): SpecError[] {
  const spec: Loose = validSpec();
  mutate(spec);
  const result = validatePlatform(spec);
  assert.equal(result.ok, false, 'expected the spec to be rejected');
  return result.ok ? [] : result.errors;
}
