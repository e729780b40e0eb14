import { crossChecks } from './cross-checks.ts';
import { issuesToErrors } from './issues.ts';
import { platformSchema } from './schema.ts';
import type { Platform, PlatformInput, SpecError } from './types.ts';

export type ValidationResult = { ok: true; platform: Platform } | { ok: false; errors: SpecError[] };

/** Validates a spec, reporting every problem found (shape first, then cross-field rules). */
export function validatePlatform(input: unknown): ValidationResult {
  const parsed = platformSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { ok: false, errors: issuesToErrors(parsed.error.issues) };
  const errors = crossChecks(parsed.data);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, platform: parsed.data };
}

/** Typed helper for meshproof.config.ts: returns the spec unchanged; validation happens when it is loaded. */
export const definePlatform = (spec: PlatformInput): PlatformInput => spec;

export const formatErrors = (errors: readonly SpecError[]): string =>
  errors.map((e) => `  ${e.path}: ${e.message.replaceAll('\n', '\n    ')}`).join('\n');
