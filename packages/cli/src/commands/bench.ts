// `meshproof bench <subcommand>`: the mTLS overhead benchmark.
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../io.ts';
import { runAnalyze } from './bench-analyze.ts';
import { runLocal } from './bench-local.ts';
import { runReport } from './bench-report.ts';
import { RUN_HELP, runBench } from './bench-run.ts';

const HELP = `${RUN_HELP}
       meshproof bench --local [--profile quick|full]   the floor: one mTLS proxy hop pair on loopback

Subcommands:
  analyze --plain FILE… --mesh FILE… [--json]   paired overhead with 95 % CIs from k6 JSON output files
  report DIR… --out FILE.html                   HTML report (+ Markdown summary, combined JSON) from results dirs
Run \`meshproof bench <subcommand> --help\` for its options.
`;

const SUBCOMMANDS: Record<string, (argv: string[], io: Parameters<Command['run']>[1]) => Promise<number>> = {
  analyze: runAnalyze,
  report: runReport,
};

export const bench: Command = {
  summary: 'mTLS overhead benchmark on the clusters (--plan), analyze k6 output, render the report',
  async run(argv, io) {
    if (argv.includes('--local')) return runLocal(argv, io);
    const [sub, ...rest] = argv;
    if (sub === '--help' || sub === '-h') {
      io.stdout.write(HELP);
      return EXIT.ok;
    }
    // No subcommand: the benchmark itself, whose options start with "-".
    if (sub === undefined || sub.startsWith('-')) return runBench(argv, io);
    const run = SUBCOMMANDS[sub];
    if (!run) throw new UsageError(`unknown subcommand "${sub}"\n\n${HELP}`);
    return run(rest, io);
  },
};
