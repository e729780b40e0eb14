// Streams a command writes to; tests pass buffers instead of the process streams.
export interface Io {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
}

/** Exit codes shared by every subcommand. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** A bad flag, file or config: printed without a stack trace, exit 2. */
export class UsageError extends Error {}
