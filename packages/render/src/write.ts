import { constants } from 'node:fs';
import { access, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { FileTree } from './model.ts';

/** Flattens cluster → files into one tree relative to the output folder. */
export function flatten(rendered: Map<string, FileTree>): FileTree {
  const files: FileTree = new Map();
  for (const [cluster, tree] of rendered)
    for (const [path, text] of tree) files.set(`${cluster}/${path}`, text);
  return files;
}

async function exists(path: string): Promise<boolean> {
  try {
    await readdir(path);
    return true;
  } catch {
    return false;
  }
}

const KIND_FILE = 'kind.yaml';

async function isDir(path: string): Promise<boolean | undefined> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/**
 * Why a render may not replace `target`, or undefined when it may. A render owns its folder and
 * replaces it whole, so the folder must be new, empty, or a previous render: for the whole tree,
 * only cluster folders (each with a kind.yaml); for one cluster, a folder with a kind.yaml.
 */
export async function renderTargetProblem(
  target: string,
  shape: 'tree' | 'cluster',
): Promise<string | undefined> {
  const kind = await isDir(target);
  if (kind === false) return `${target} is a file, not a folder`;
  if (kind === undefined) {
    let parent = dirname(target);
    while ((await isDir(parent)) === undefined && dirname(parent) !== parent) parent = dirname(parent);
    return (await isDir(parent)) === false
      ? `${parent} is a file, so ${target} cannot be created`
      : undefined;
  }
  const entries = (await readdir(target, { withFileTypes: true })).filter((e) => !e.name.startsWith('.'));
  if (entries.length === 0) return undefined;
  const previous =
    shape === 'cluster'
      ? entries.some((e) => e.isFile() && e.name === KIND_FILE)
      : (
          await Promise.all(
            entries.map(
              async (e) => e.isDirectory() && (await isDir(join(target, e.name, KIND_FILE))) === false,
            ),
          )
        ).every(Boolean);
  return previous
    ? undefined
    : `refusing to replace ${target}: it holds files that are not a meshproof render; choose a new or empty folder`;
}

/** A render that could not be written; the message names the folder and the cause, never a staging path. */
export class RenderWriteError extends Error {}

// What an errno means for someone rendering into a folder.
const CAUSES: Record<string, string> = {
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted (immutable or protected)',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EBUSY: 'it is a mount point or in use, so it cannot be swapped by renaming; render into a folder below it',
  EXDEV: 'it is a mount point, so it cannot be swapped by renaming; render into a folder below it',
};

const causeOf = (error: unknown): string => {
  const e = error as NodeJS.ErrnoException;
  return (e.code && CAUSES[e.code]) ?? e.message;
};

/** The nearest folder that exists: `path` itself or an ancestor. */
async function nearestExisting(path: string): Promise<string> {
  let dir = path;
  while ((await isDir(dir)) === undefined && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/**
 * Why `target` cannot be replaced, checked before anything is written: its parent must take the
 * staging folder and the swap, and an existing target must be writable. access(2) reports a
 * read-only mount even to root, who ignores permission bits.
 */
async function unwritable(target: string): Promise<string | undefined> {
  const parent = await nearestExisting(dirname(target));
  for (const dir of (await isDir(target)) ? [parent, target] : [parent]) {
    try {
      await access(dir, constants.W_OK);
    } catch (error) {
      return `cannot write ${dir}: ${causeOf(error)}`;
    }
  }
  return undefined;
}

/**
 * Replaces `target` with exactly `files`: everything is written to a temporary folder beside the target,
 * then swapped in with renames, so a failed render never leaves a half-written tree behind. Every
 * failure removes the staging folder and throws a RenderWriteError naming `target` and the cause.
 */
export async function replaceDir(target: string, files: FileTree): Promise<void> {
  const problem = await unwritable(target);
  if (problem) throw new RenderWriteError(problem);
  const stamp = `${process.pid}-${Date.now()}`;
  const staging = join(dirname(target), `.${basename(target)}.render-${stamp}`);
  const previous = join(dirname(target), `.${basename(target)}.previous-${stamp}`);
  let step = `cannot write ${target}`;
  let swapped = false;
  try {
    await mkdir(staging, { recursive: true });
    for (const [path, text] of files) {
      const file = join(staging, ...path.split('/'));
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, text);
    }
    const hadTarget = await exists(target);
    step = `cannot replace ${target}`;
    if (hadTarget) await rename(target, previous);
    try {
      await rename(staging, target);
      swapped = true;
    } catch (error) {
      if (hadTarget) await rename(previous, target);
      throw error;
    }
  } catch (error) {
    throw new RenderWriteError(`${step}: ${causeOf(error)}`, { cause: error });
  } finally {
    await rm(swapped ? previous : staging, { recursive: true, force: true });
  }
}

async function listFiles(root: string): Promise<string[]> {
  if (!(await exists(root))) return [];
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

export interface Drift {
  drifted: string[];
  missing: string[];
  extra: string[];
}

export const isClean = (d: Drift) => d.drifted.length + d.missing.length + d.extra.length === 0;

/** Compares `files` with what is on disk under `root`; paths are relative to root. */
export async function diffDir(root: string, files: FileTree): Promise<Drift> {
  const onDisk = new Set(await listFiles(root));
  const drift: Drift = { drifted: [], missing: [], extra: [] };
  for (const [path, text] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!onDisk.has(path)) drift.missing.push(path);
    else if ((await readFile(join(root, ...path.split('/')), 'utf8')) !== text) drift.drifted.push(path);
  }
  drift.extra = [...onDisk].filter((p) => !files.has(p));
  return drift;
}
