import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeLoadError } from './load-error.ts';
import type { SpecError } from './types.ts';
import { type ValidationResult, validatePlatform } from './validate.ts';

export const DEFAULT_CONFIG = 'meshproof.config.ts';

/**
 * Reads a config module (.ts/.js/.mjs with a default export) or a .json file, then validates it.
 * A relative `file` is read from `cwd` (default: the process's working directory).
 */
export async function loadPlatform(
  file: string,
  cwd: string = process.cwd(),
): Promise<ValidationResult & { file: string }> {
  const path = resolve(cwd, file);
  const fail = (message: string): ValidationResult & { file: string } => ({
    ok: false,
    file: path,
    errors: [{ path: '(file)', message } satisfies SpecError],
  });
  if (!existsSync(path))
    return fail(`config file not found: ${file}${path === file ? '' : ` (looked for ${path})`}`);
  let spec: unknown;
  if (path.endsWith('.json')) {
    try {
      spec = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      return fail(`${file} is not valid JSON: ${(error as Error).message}`);
    }
  } else {
    try {
      const module = (await import(pathToFileURL(path).href)) as { default?: unknown };
      spec = module.default;
    } catch (error) {
      return fail(describeLoadError(error, path, file));
    }
    if (spec === undefined)
      return fail(`${file} has no default export; write \`export default definePlatform({...})\``);
  }
  return { ...validatePlatform(spec), file: path };
}
