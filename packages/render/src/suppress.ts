import type { Platform } from '@meshproof/spec';

/** The doctor's per-object suppression annotation: "<check ID>: <reason>; <check ID>: <reason>". */
export const DOCTOR_IGNORE = 'meshproof.dev/ignore';

/** Annotations that accept the doctor findings `ids` on an object, with `reason`. */
export const acceptFindings = (ids: readonly string[], reason: string): Record<string, string> =>
  ids.length === 0 ? {} : { [DOCTOR_IGNORE]: ids.map((id) => `${id}: ${reason}`).join('; ') };

/** The spec's own words for choosing PERMISSIVE, as a suppression reason. */
export const permissiveReason = (platform: Platform): string =>
  `security.mtls is PERMISSIVE in the spec: ${platform.security.mtlsReason ?? '(no reason)'}`;
