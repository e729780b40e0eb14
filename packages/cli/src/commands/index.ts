import type { Command } from '../command.ts';
import { e2e } from './e2e.ts';
import { render } from './render.ts';
import { validate } from './validate.ts';

// Register a subcommand here; no placeholders: a command is listed once it works.
export const commands: Record<string, Command> = {
  e2e,
  render,
  validate,
};
