// `meshproof bench <subcommand>`: the mTLS overhead benchmark.
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../io.ts';
import { runAnalyze } from './bench-analyze.ts';
import { runLocal } from './bench-local.ts';
import { runReport } from './bench-report.ts';

const HELP = `Usage: meshproof bench <subcommand> [options]
       meshproof bench --local [--profile quick|full]   the floor: one mTLS proxy hop pair on loopback

The mTLS overhead benchmark (method: README, "Benchmark").
  analyze --plain FILE… --mesh FILE… [--json]   paired overhead with 95 % CIs from k6 JSON output files
  report DIR… --out FILE.html                   HTML report (+ Markdown summary, combined JSON) from results dirs
Run \`meshproof bench <subcommand> --help\` for its options.
`;

const SUBCOMMANDS: Record<string, (argv: string[], io: Parameters<Command['run']>[1]) => Promise<number>> = {
  analyze: runAnalyze,
  report: runReport,
};

export const bench: Command = {
  summary: 'mTLS overhead benchmark: analyze k6 output (paired, 95 % CIs), render the report',
  async run(argv, io) {
    if (argv.includes('--local')) return runLocal(argv, io);
    const [sub, ...rest] = argv;
    if (sub === '--help' || sub === '-h') {
      io.stdout.write(HELP);
      return EXIT.ok;
    }
    const run = sub === undefined ? undefined : SUBCOMMANDS[sub];
    if (!run)
      throw new UsageError(
        `${sub === undefined ? 'a subcommand is needed' : `unknown subcommand "${sub}"`}\n\n${HELP}`,
      );
    return run(rest, io);
  },
};
