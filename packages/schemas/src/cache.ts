// Layout of the schema cache written by sync and read by the validator.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KindSchema } from './crd.ts';

/** What the manifest records per kind version: the CRD facts, and where its converted schema is. */
export type KindEntry = Omit<KindSchema, 'schema'> & {
  /** Converted schema file, relative to the cache dir. */
  file: string;
};

export interface CacheManifest {
  lockSha256: string;
  kinds: KindEntry[];
}

export interface CachedSchema {
  schema: Record<string, unknown>;
  formats: string[];
}

export const MANIFEST = 'manifest.json';
export const kindFile = (e: { group: string; version: string; kind: string }): string =>
  join('kinds', e.group || 'core', e.version, `${e.kind}.json`);

export function readManifest(cacheDir: string): CacheManifest {
  const path = join(cacheDir, MANIFEST);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`no schema cache at ${cacheDir} (run \`./dev meshproof schemas sync\` first)`);
  }
  return JSON.parse(text) as CacheManifest;
}
