// The lock names every upstream file the schemas are built from: where it is published and the
// sha256 of its bytes. Sync refuses anything that does not hash to these values.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type SourceFormat = 'crd' | 'helm-template' | 'helm-values';

export interface LockedSource {
  project: string;
  version: string;
  /** Path inside a mirror laid out as `<project>/<version>/<upstream path>`; also the cache path. */
  file: string;
  url: string;
  sha256: string;
  format: SourceFormat;
  /** Gateway API channel; standard wins over experimental when both define a kind version. */
  channel?: 'standard' | 'experimental';
}

export interface SchemaLock {
  description: string;
  pins: Record<string, string>;
  sources: LockedSource[];
}

export const lockPath = fileURLToPath(new URL('../schemas.lock.json', import.meta.url));

export function loadLock(path: string = lockPath): SchemaLock {
  return JSON.parse(readFileSync(path, 'utf8')) as SchemaLock;
}
