// Bytes of one locked source, from a mirror directory or from its upstream URL, checked against
// the lock's sha256 before anything else sees them.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LockedSource } from './lock.ts';

export class SyncError extends Error {}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export type Fetcher = (url: string) => Promise<Uint8Array>;

export const httpFetcher: Fetcher = async (url) => {
  const res = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
};

async function readMirror(mirror: string, src: LockedSource): Promise<Uint8Array> {
  try {
    return await readFile(join(mirror, src.file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SyncError(`mirror ${mirror} has no readable ${src.file} (${code ?? (error as Error).message})`);
  }
}

async function download(fetcher: Fetcher, src: LockedSource): Promise<Uint8Array> {
  try {
    return await fetcher(src.url);
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
    throw new SyncError(
      `could not download ${src.file} from ${src.url} (${cause}). Offline? ` +
        'Pass --mirror DIR or set MESHPROOF_SCHEMA_MIRROR to a directory laid out like the upstream mirror.',
    );
  }
}

export async function loadSource(
  src: LockedSource,
  mirror: string | undefined,
  fetcher: Fetcher,
): Promise<Uint8Array> {
  const bytes = mirror ? await readMirror(mirror, src) : await download(fetcher, src);
  const actual = sha256(bytes);
  if (actual !== src.sha256) {
    throw new SyncError(
      `sha256 mismatch for ${src.file}${mirror ? ` in mirror ${mirror}` : ''}: expected ${src.sha256}, got ${actual}. Refusing to use it.`,
    );
  }
  return bytes;
}
