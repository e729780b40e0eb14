// `meshproof bench analyze --plain FILE… --mesh FILE… [--json]`: the paired overhead from k6 JSON output.
import { analysisJson, analyzeFiles, formatAnalysisText, K6FormatError } from '@meshproof/bench/analyze';
import { EXIT, type Io, UsageError } from '../io.ts';

export const ANALYZE_HELP = `Usage: meshproof bench analyze --plain FILE… --mesh FILE… [--json] [--seed N] [--resamples N]

Reads k6's own JSON output (\`k6 run --out json=FILE\`, gzipped or not) of paired runs: plain[i] and mesh[i] are
repetition i of the alternating schedule. Prints per side the request count and p50/p90/p99/p99.9 in ms
(all runs of a side pooled), and the overhead (mesh − plain) at each percentile in ms and in % of plain: the
mean over pairs with a 95 % CI by bootstrap over the pairs (the resampling unit is a repetition pair).
Samples of a k6 scenario named "warmup" are left out (its failures and drops are counted, not held against the run).
  --plain FILE…    runs without the mesh, in schedule order
  --mesh FILE…     runs through the mesh, same count and order
  --json           {"plain":{count,p50,p90,p99,p999,…},"mesh":{…},"overhead":{"p50":{ms,pct,ci95,pctCi95},…},…}
  --seed N         bootstrap seed (default fixed, so output is reproducible)
  --resamples N    bootstrap resamples (default 10000)
Exit codes: 0 analysed; 1 a run is invalid (dropped iterations or failed requests: never averaged in);
2 usage, or a file that is not k6 JSON output, is empty, or mixes runs or scenarios.
`;

interface AnalyzeArgs {
  plain: string[];
  mesh: string[];
  json: boolean;
  help: boolean;
  seed?: number;
  resamples?: number;
}

const positiveInt = (flag: string, v: string | undefined): number => {
  const n = Number(v);
  if (v === undefined || !Number.isInteger(n) || n < 1)
    throw new UsageError(`${flag} needs a positive integer`);
  return n;
};

/** `--plain a b --mesh c d`: each list flag takes the file arguments that follow it. */
function parseAnalyzeArgs(argv: string[]): AnalyzeArgs {
  const args: AnalyzeArgs = { plain: [], mesh: [], json: false, help: false };
  let list: string[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const [flag, inline] =
      a.startsWith('--') && a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
    if (flag === '--plain' || flag === '--mesh') {
      list = flag === '--plain' ? args.plain : args.mesh;
      if (inline !== undefined) list.push(inline);
    } else if (flag === '--json') args.json = true;
    else if (flag === '--help' || flag === '-h') args.help = true;
    else if (flag === '--seed') args.seed = positiveInt('--seed', inline ?? argv[++i]);
    else if (flag === '--resamples') args.resamples = positiveInt('--resamples', inline ?? argv[++i]);
    else if (flag.startsWith('-') && flag !== '-')
      throw new UsageError(`unknown option "${flag}" (see --help)`);
    else if (list) list.push(a);
    else throw new UsageError(`"${a}": give files after --plain or --mesh (see --help)`);
  }
  return args;
}

export async function runAnalyze(argv: string[], io: Io): Promise<number> {
  const args = parseAnalyzeArgs(argv);
  if (args.help) {
    io.stdout.write(ANALYZE_HELP);
    return EXIT.ok;
  }
  if (args.plain.length === 0 || args.mesh.length === 0)
    throw new UsageError('needs --plain FILE… and --mesh FILE… (see --help)');
  let result: Awaited<ReturnType<typeof analyzeFiles>>;
  try {
    result = await analyzeFiles(args.plain, args.mesh, { seed: args.seed, resamples: args.resamples });
  } catch (error) {
    if (error instanceof K6FormatError || error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  }
  if (!result.ok) {
    io.stderr.write(
      `meshproof bench analyze: ${result.invalid.length} invalid run(s), never averaged in; nothing analysed:\n${result.invalid
        .map((r) => `  ${r.side} ${r.file}: ${r.reasons.join('; ')}`)
        .join('\n')}\n`,
    );
    return EXIT.failure;
  }
  io.stdout.write(
    args.json
      ? `${JSON.stringify(analysisJson(result.analysis), null, 2)}\n`
      : formatAnalysisText(result.analysis),
  );
  return EXIT.ok;
}
