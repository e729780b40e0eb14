// From k6 output files to the paired analysis: parse every file, refuse invalid runs, pair plain[i] with
// mesh[i] (the order the alternating schedule ran them in). Also the light entry point of `bench analyze`
// (@meshproof/bench/analyze): it loads no chart, cluster or report code.
import { invalidReasons, type K6Run } from './k6/parse.ts';
import { parseK6JsonFiles } from './k6/parse-files.ts';
import type { BootstrapOptions } from './stats/bootstrap.ts';
import { type Analysis, analyzePairs } from './stats/overhead.ts';

export interface InvalidRun {
  file: string;
  side: 'plain' | 'mesh';
  reasons: string[];
}

export type FileAnalysis =
  | { ok: true; analysis: Analysis; runs: { plain: K6Run[]; mesh: K6Run[] } }
  | { ok: false; invalid: InvalidRun[] };

export async function analyzeFiles(
  plainFiles: readonly string[],
  meshFiles: readonly string[],
  options: BootstrapOptions = {},
): Promise<FileAnalysis> {
  if (plainFiles.length === 0 || meshFiles.length === 0)
    throw new RangeError('at least one plain and one mesh file are needed');
  if (plainFiles.length !== meshFiles.length)
    throw new RangeError(
      `${plainFiles.length} plain and ${meshFiles.length} mesh files: runs are paired in order (plain[i] with mesh[i]), so the counts must match`,
    );
  const all = await parseK6JsonFiles([...plainFiles, ...meshFiles]);
  const plain: K6Run[] = all.slice(0, plainFiles.length);
  const mesh: K6Run[] = all.slice(plainFiles.length);
  const invalid = [
    ...plain.map((r) => ({ file: r.file, side: 'plain' as const, reasons: invalidReasons(r) })),
    ...mesh.map((r) => ({ file: r.file, side: 'mesh' as const, reasons: invalidReasons(r) })),
  ].filter((r) => r.reasons.length > 0);
  if (invalid.length > 0) return { ok: false, invalid };
  const analysis = analyzePairs(
    plain.map((r) => r.histogram),
    mesh.map((r) => r.histogram),
    options,
  );
  return { ok: true, analysis, runs: { plain, mesh } };
}

export { analysisJson, formatAnalysisText } from './analysis-text.ts';
export { K6FormatError } from './k6/parse.ts';
