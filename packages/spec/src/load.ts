import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SpecError } from './types.ts';
import { type ValidationResult, validatePlatform } from './validate.ts';

export const DEFAULT_CONFIG = 'meshproof.config.ts';

/** Reads a config module (.ts/.js/.mjs with a default export) or a .json file, then validates it. */
export async function loadPlatform(file: string): Promise<ValidationResult & { file: string }> {
  const path = resolve(file);
  const fail = (message: string): ValidationResult & { file: string } => ({
    ok: false,
    file: path,
    errors: [{ path: '(file)', message } satisfies SpecError],
  });
  if (!existsSync(path)) return fail(`config file not found: ${file}`);
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
      return fail(`cannot load ${file}: ${(error as Error).message.split('\n')[0]}`);
    }
    if (spec === undefined)
      return fail(`${file} has no default export; write \`export default definePlatform({...})\``);
  }
  return { ...validatePlatform(spec), file: path };
}
