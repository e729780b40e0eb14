// `meshproof bench <subcommand>`: the mTLS overhead benchmark. Each part is imported when it runs, so
// `bench analyze` does not load the chart, cluster and report code (start-up counts in its 1 M-sample budget).
import type { Command } from '../command.ts';
import { EXIT, type Io, UsageError } from '../io.ts';

const SUBCOMMAND_HELP = `
       meshproof bench --local [--profile quick|full]   the floor: one mTLS proxy hop pair on loopback

Subcommands:
  analyze --plain FILE… --mesh FILE… [--json]   paired overhead with 95 % CIs from k6 JSON output files
  report DIR… --out FILE.html                   HTML report (+ Markdown summary, combined JSON) from results dirs
Run \`meshproof bench <subcommand> --help\` for its options.
`;

const help = async () => `${(await import('./bench-run.ts')).RUN_HELP}${SUBCOMMAND_HELP}`;

const SUBCOMMANDS: Record<string, (argv: string[], io: Io) => Promise<number>> = {
  analyze: async (argv, io) => (await import('./bench-analyze.ts')).runAnalyze(argv, io),
  report: async (argv, io) => (await import('./bench-report.ts')).runReport(argv, io),
};

export const bench: Command = {
  async run(argv, io) {
    if (argv.includes('--local')) return (await import('./bench-local.ts')).runLocal(argv, io);
    const [sub, ...rest] = argv;
    if (sub === '--help' || sub === '-h') {
      io.stdout.write(await help());
      return EXIT.ok;
    }
    // No subcommand: the benchmark itself, whose options start with "-".
    if (sub === undefined || sub.startsWith('-')) return (await import('./bench-run.ts')).runBench(argv, io);
    const run = SUBCOMMANDS[sub];
    if (!run) throw new UsageError(`unknown subcommand "${sub}"\n\n${await help()}`);
    return run(rest, io);
  },
};
