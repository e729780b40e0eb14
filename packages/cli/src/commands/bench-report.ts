// `meshproof bench report DIR… --out FILE.html`: the HTML report, Markdown summary and combined JSON.

import type { ClusterResults } from '@meshproof/bench';
import { defaultReportPaths, K6FormatError, ResultsError, readResults, writeReport } from '@meshproof/bench';
import { parseFlags } from '../command.ts';
import { EXIT, type Io, UsageError } from '../io.ts';

export const REPORT_HELP = `Usage: meshproof bench report DIR… --out FILE.html [--markdown FILE.md] [--json FILE.json]

Renders one self-contained HTML page (charts as inline SVG, nothing fetched when viewed) comparing every
result set under the DIRs: overhead ± 95 % CI per percentile and mesh, latency percentile spectra, data-plane
cost, environment, method, and the published figures (arXiv:2411.02267) beside ours.
A DIR is a cluster directory (.bench/<run-id>/<cluster>/ with results.json), a run directory
(.bench/<run-id>/) or .bench/ itself.
  --out FILE.html      the page
  --markdown FILE.md   summary fit for $GITHUB_STEP_SUMMARY (default: FILE.md beside the page)
  --json FILE.json     every result combined (default: FILE.json beside the page)
Exit codes: 0 written; 2 usage, or a DIR without results.
`;

export async function runReport(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    { out: { type: 'string', short: 'o' }, markdown: { type: 'string' }, json: { type: 'string' } },
    true,
  );
  if (values.help) {
    io.stdout.write(REPORT_HELP);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('needs at least one results DIR (see --help)');
  if (!values.out) throw new UsageError('needs --out FILE.html (see --help)');
  if (!/\.html?$/i.test(values.out))
    throw new UsageError(`--out must name an .html file (got "${values.out}")`);
  const results: ClusterResults[] = [];
  try {
    for (const dir of positionals) results.push(...(await readResults(dir)));
  } catch (error) {
    if (error instanceof ResultsError || error instanceof K6FormatError) throw new UsageError(error.message);
    throw error;
  }
  const paths = {
    ...defaultReportPaths(values.out),
    ...(values.markdown ? { markdown: values.markdown } : {}),
    ...(values.json ? { json: values.json } : {}),
  };
  await writeReport(results, paths);
  const invalid = results.reduce((n, r) => n + r.excludedRepetitions.length, 0);
  io.stdout.write(
    `wrote ${paths.html}, ${paths.markdown} and ${paths.json} (${results.length} result set(s)${invalid ? `; ${invalid} repetition(s) left out as invalid` : ''})\n`,
  );
  return EXIT.ok;
}
