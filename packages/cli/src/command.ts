import { type ParseArgsConfig, parseArgs } from 'node:util';
import { didYouMean } from '@meshproof/spec';
import { type Io, UsageError } from './io.ts';

export interface Command {
  run(argv: string[], io: Io): Promise<number>;
}

/** How the README runs the CLI; every hint that tells the user to run a command spells it this way. */
export const RUN = './dev meshproof';

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs that turns unknown or malformed flags into a UsageError naming the flag. */
export function parseFlags<O extends Options>(argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${flagProblem(error as NodeJS.ErrnoException, Object.keys(options))} (see --help)`);
  }
}

/**
 * Our own wording of parseArgs errors: Node's text for an unknown option (when positionals are
 * allowed) ends in a quote it never closes, and it suggests nothing.
 */
function flagProblem(error: NodeJS.ErrnoException, known: string[]): string {
  const unknown = /^Unknown option '([^']+)'/.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) {
    const flags = [...known, 'help'].map((k) => `--${k}`);
    return `unknown option ${unknown}${didYouMean(unknown, flags)}`;
  }
  // The other parseArgs messages are one clear sentence, sometimes followed by advice we do not need.
  return (error.message.split('. ')[0] ?? error.message).replaceAll("'", '');
}
