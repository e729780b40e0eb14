import type { Command } from '../command.ts';
import { validate } from './validate.ts';

// Register a subcommand here; no placeholders: a command is listed once it works.
export const commands: Record<string, Command> = {
  validate,
};
