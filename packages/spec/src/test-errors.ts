import assert from 'node:assert/strict';
import { validSpec } from './fixture.ts';
import type { Platform, SpecError } from './types.ts';
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

/** The validated fixture spec after `edit`; fails with the errors when it is refused. */
export function acceptedAfter(edit: (spec: Loose) => void): Platform {
  const spec: Loose = validSpec();
  edit(spec);
  const result = validatePlatform(spec);
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  return result.platform;
}
