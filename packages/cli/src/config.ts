import { DEFAULT_CONFIG, formatErrors, loadPlatform, type Platform } from '@meshproof/spec';
import { UsageError } from './io.ts';

/** Loads and validates the spec; a bad spec is bad input (exit 2) with every problem listed. */
export async function loadConfigOrThrow(
  file: string | undefined,
): Promise<{ platform: Platform; file: string }> {
  const result = await loadPlatform(file ?? DEFAULT_CONFIG);
  const shown = file ?? DEFAULT_CONFIG;
  if (!result.ok) {
    const n = result.errors.length;
    throw new UsageError(`${shown}: ${n} problem${n === 1 ? '' : 's'}:\n${formatErrors(result.errors)}`);
  }
  return { platform: result.platform, file: shown };
}

export const configFlag = { config: { type: 'string', short: 'c' } } as const;
