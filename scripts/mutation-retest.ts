// Stryker's incremental mode re-tests a mutant only when its code or a test file covering it changed. A
// check's fixtures are YAML the tests read, not test files, so a new fixture leaves old survivors standing:
// dropping them from the incremental file makes the next run test them again.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { MutationReport } from './mutation-score.ts';

const undetected = new Set(['Survived', 'NoCoverage']);

/** Removes the survived and uncovered mutants of the files `keep` accepts; returns how many per file. */
export function dropUndetected(
  report: MutationReport,
  keep: (file: string) => boolean,
): Record<string, number> {
  const dropped: Record<string, number> = {};
  for (const [file, entry] of Object.entries(report.files)) {
    if (!keep(file)) continue;
    const left = entry.mutants.filter((m) => !undetected.has(m.status));
    if (left.length !== entry.mutants.length) dropped[file] = entry.mutants.length - left.length;
    entry.mutants = left;
  }
  return dropped;
}

/** dropUndetected on an incremental file in place; a file that cannot be read or parsed is an error naming it. */
export function retestSurvivors(path: string, keep: (file: string) => boolean): Record<string, number> {
  let report: MutationReport;
  try {
    report = JSON.parse(readFileSync(path, 'utf8')) as MutationReport;
  } catch (err) {
    throw new Error(`${path}: not a readable mutation report (${(err as Error).message})`);
  }
  if (
    typeof report !== 'object' ||
    report === null ||
    typeof report.files !== 'object' ||
    report.files === null
  ) {
    throw new Error(`${path}: not a mutation report (no "files" object)`);
  }
  const dropped = dropUndetected(report, keep);
  // Written beside it and renamed over it, so a failed write leaves the last results whole.
  writeFileSync(`${path}.tmp`, JSON.stringify(report));
  renameSync(`${path}.tmp`, path);
  return dropped;
}
