// Where an offline copy of the upstream files lives: a flag, then MESHPROOF_SCHEMA_MIRROR,
// then a `../shared/upstream` folder beside the repository (the meshproof workspace keeps its mirror there).
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const MIRROR_ENV = 'MESHPROOF_SCHEMA_MIRROR';

/** Nearest ancestor of `start` that is the workspace root (has pnpm-workspace.yaml or .git). */
export function findRepoRoot(start: string): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml')) || existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(start);
    dir = parent;
  }
}

const isDir = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();

/** The mirror to use for tests and offline runs, or undefined when none exists. */
export function findMirror(repoRoot: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env[MIRROR_ENV];
  if (fromEnv) return isDir(fromEnv) ? resolve(fromEnv) : undefined;
  const sibling = resolve(repoRoot, '..', 'shared', 'upstream');
  return isDir(sibling) ? sibling : undefined;
}

export const defaultCacheDir = (repoRoot: string): string => join(repoRoot, '.cache', 'schemas');
