// The score of a mutation report (Stryker's incremental file is a full mutation-testing-report), per
// file and in total, counted the way Stryker counts it: killed and timed-out mutants are detected,
// survived and uncovered ones are not; type errors and runtime errors are not counted at all.
export type MutantStatus =
  | 'Killed'
  | 'Timeout'
  | 'Survived'
  | 'NoCoverage'
  | 'CompileError'
  | 'RuntimeError'
  | 'Ignored'
  | 'Pending';
export type MutationReport = { files: Record<string, { mutants: { status: MutantStatus }[] }> };
export type Tally = Record<MutantStatus, number> & { score: number | undefined };

function tally(statuses: MutantStatus[]): Tally {
  const t = {
    Killed: 0,
    Timeout: 0,
    Survived: 0,
    NoCoverage: 0,
    CompileError: 0,
    RuntimeError: 0,
    Ignored: 0,
    Pending: 0,
    score: undefined as number | undefined,
  };
  for (const s of statuses) {
    if (!(s in t) || s === ('score' as string)) throw new Error(`unknown mutant status "${s}"`);
    t[s]++;
  }
  const detected = t.Killed + t.Timeout;
  const valid = detected + t.Survived + t.NoCoverage;
  t.score = valid === 0 ? undefined : (100 * detected) / valid;
  return t;
}

export function scoreReport(report: MutationReport): { total: Tally; files: Record<string, Tally> } {
  const files: Record<string, Tally> = {};
  for (const [file, { mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
    files[file] = tally(mutants.map((m) => m.status));
  }
  return { total: tally(Object.values(report.files).flatMap((f) => f.mutants.map((m) => m.status))), files };
}

const pct = (score: number | undefined): string => (score === undefined ? 'n/a' : `${score.toFixed(2)} %`);

/** One line: the score and how it is made up. */
export function describeTally(t: Tally): string {
  const parts = [
    `${t.Killed} killed`,
    `${t.Timeout} timed out`,
    `${t.Survived} survived`,
    `${t.NoCoverage} without coverage`,
    `${t.CompileError} type errors`,
  ];
  if (t.RuntimeError > 0) parts.push(`${t.RuntimeError} runtime errors`);
  if (t.Pending > 0) parts.push(`${t.Pending} not run`);
  return `${pct(t.score)} (${parts.join(', ')})`;
}
