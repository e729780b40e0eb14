import { DEFAULT_CONFIG, didYouMean, formatErrors, loadPlatform, type Platform } from '@meshproof/spec';
import { UsageError } from './io.ts';
import { callerDir } from './paths.ts';

/** Loads and validates the spec; a bad spec is bad input (exit 2) with every problem listed. */
export async function loadConfigOrThrow(
  file: string | undefined,
): Promise<{ platform: Platform; file: string }> {
  // The default spec is the repository's; a --config path is the user's, relative to where they are.
  const result = await loadPlatform(file ?? DEFAULT_CONFIG, file === undefined ? process.cwd() : callerDir());
  const shown = file ?? DEFAULT_CONFIG;
  if (!result.ok) {
    const n = result.errors.length;
    throw new UsageError(`${shown}: ${n} problem${n === 1 ? '' : 's'}:\n${formatErrors(result.errors)}`);
  }
  return { platform: result.platform, file: shown };
}

export const configFlag = { config: { type: 'string', short: 'c' } } as const;

/** Checks a `--cluster NAME` flag against the spec; undefined means every cluster. */
export function checkClusterFlag(platform: Platform, name: string | undefined): string | undefined {
  const names = platform.clusters.map((c) => c.name);
  if (name !== undefined && !names.includes(name)) {
    throw new UsageError(
      `--cluster: no cluster named "${name}"${didYouMean(name, names)}; expected one of ${names.join('|')}`,
    );
  }
  return name;
}
