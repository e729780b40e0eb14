import type { Command } from '../command.ts';
import { bench } from './bench.ts';
import { check } from './check.ts';
import { e2e } from './e2e.ts';
import { render } from './render.ts';
import { schemas } from './schemas.ts';
import { validate } from './validate.ts';

// Register a subcommand here; no placeholders: a command is listed once it works.
export const commands: Record<string, Command> = {
  bench,
  check,
  e2e,
  render,
  schemas,
  validate,
};
