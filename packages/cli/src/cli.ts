import { RUN } from './command.ts';
import { commands } from './commands/index.ts';
import { EXIT, type Io, UsageError } from './io.ts';

const usage = (): string =>
  [
    'Usage: meshproof <command> [options]',
    '',
    'Commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`),
    '',
    `Run \`${RUN} <command> --help\` for the options of a command.`,
    'Exit codes: 0 ok, 1 findings or failure, 2 bad input or usage.',
    '',
  ].join('\n');

const PATH_ERRORS = new Map([
  ['ENOENT', 'no such file or folder'],
  ['ENOTDIR', 'a part of the path is a file, not a folder'],
  ['EISDIR', 'is a folder, not a file'],
  ['EACCES', 'permission denied'],
  ['EROFS', 'read-only file system'],
]);

export async function runCli(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(usage());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!entry) {
    io.stderr.write(`meshproof: unknown command "${name}"\n\n${usage()}`);
    return EXIT.usage;
  }
  try {
    return await (await entry.load()).run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`meshproof ${name}: ${error.message}\n`);
      return EXIT.usage;
    }
    // A path the user gave that cannot be read or written is bad input, not a crash.
    const fsError = error as NodeJS.ErrnoException;
    if (fsError.path && fsError.code && PATH_ERRORS.has(fsError.code)) {
      io.stderr.write(`meshproof ${name}: ${fsError.path}: ${PATH_ERRORS.get(fsError.code)}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}
