// The lock names every upstream file the schemas are built from: where it is published and the
// sha256 of its bytes. Sync refuses anything that does not hash to these values, and a lock whose
// shape is wrong before it fetches anything.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SyncError } from './fetch-source.ts';

export type SourceFormat = 'crd' | 'helm-template' | 'helm-values';
const FORMATS: readonly string[] = ['crd', 'helm-template', 'helm-values'];
const CHANNELS: readonly string[] = ['standard', 'experimental'];

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

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why one source is wrong, or undefined. `file` is joined into the mirror and cache: it must stay inside. */
function sourceProblem(s: unknown): string | undefined {
  if (!isObject(s)) return 'expected an object';
  for (const field of ['project', 'version', 'file', 'url']) {
    if (typeof s[field] !== 'string' || s[field] === '') return `${field}: expected a non-empty string`;
  }
  const file = s.file as string;
  if (
    file.startsWith('/') ||
    file.includes('\\') ||
    file.split('/').some((part) => part === '..' || part === '.' || part === '')
  )
    return `file: expected a relative path inside the mirror, got "${file}"`;
  if (!(s.url as string).startsWith('https://')) return `url: expected an https:// URL, got "${s.url}"`;
  if (typeof s.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(s.sha256))
    return 'sha256: expected 64 lowercase hex digits';
  if (typeof s.format !== 'string' || !FORMATS.includes(s.format))
    return `format: expected one of ${FORMATS.join(', ')}`;
  if (s.channel !== undefined && (typeof s.channel !== 'string' || !CHANNELS.includes(s.channel)))
    return `channel: expected ${CHANNELS.join(' or ')}`;
  return undefined;
}

/** The lock in `text` (read from `where`), or a SyncError naming the first wrong field. */
export function parseLock(text: string, where: string): SchemaLock {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SyncError(`${where}: not valid JSON (${(error as Error).message})`);
  }
  const fail = (what: string): never => {
    throw new SyncError(`${where}: ${what}`);
  };
  if (!isObject(data)) return fail('expected an object with description, pins and sources');
  if (typeof data.description !== 'string') fail('description: expected a string');
  if (!isObject(data.pins) || !Object.values(data.pins).every((v) => typeof v === 'string'))
    fail('pins: expected an object of project -> version strings');
  if (!Array.isArray(data.sources) || data.sources.length === 0) fail('sources: expected a non-empty array');
  const files = new Set<string>();
  (data.sources as unknown[]).forEach((s, i) => {
    const problem = sourceProblem(s);
    if (problem) fail(`sources[${i}]${problem.startsWith('expected') ? ': ' : '.'}${problem}`);
    const file = (s as LockedSource).file;
    if (files.has(file)) fail(`sources[${i}].file: "${file}" is listed twice`);
    files.add(file);
  });
  return data as unknown as SchemaLock;
}

export function loadLock(path: string = lockPath): SchemaLock {
  return parseLock(readFileSync(path, 'utf8'), path);
}
