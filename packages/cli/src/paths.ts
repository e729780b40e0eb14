import { resolve } from 'node:path';

/**
 * `./dev` runs every command from the repository root, so it passes the directory the user typed the
 * command in as MESHPROOF_CALLER_CWD. Paths the user writes are relative to that directory; the
 * defaults (meshproof.config.ts, clusters/, .cache/schemas) stay relative to the repository.
 */
export const CALLER_CWD_ENV = 'MESHPROOF_CALLER_CWD';

export const callerDir = (): string => process.env[CALLER_CWD_ENV] || process.cwd();

/** A path from a flag or argument, resolved against the user's directory. */
export const userPath = (path: string): string => resolve(callerDir(), path);
