export { runCli } from './cli.ts';
export type { Command } from './command.ts';
export { EXIT, type Io, UsageError } from './io.ts';
