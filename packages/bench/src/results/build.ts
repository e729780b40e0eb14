// Builds results.json for one cluster from the raw k6 files and resource samples of its runs, and reads
// results back for reports.
import { existsSync } from 'node:fs';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { invalidReasons, parseK6Json } from '../k6/parse.ts';
import type { BootstrapOptions } from '../stats/bootstrap.ts';
import { decodeHistogram, encodeHistogram, type Histogram, percentilesMs } from '../stats/histogram.ts';
import { analyzePairs } from '../stats/overhead.ts';
import {
  type ClusterResults,
  RESULTS_FILE,
  RESULTS_SCHEMA,
  type ResourceSample,
  type ResourceSamples,
  type ResourceSummary,
  type RunRecord,
  resourcesPath,
  type Side,
} from './layout.ts';

/** What the producer of the runs knows about them; the rest of ClusterResults is computed here. */
export type ClusterMeta = Pick<
  ClusterResults,
  'runId' | 'cluster' | 'mesh' | 'label' | 'plainSide' | 'meshSide' | 'profile' | 'environment'
>;

export interface RunInput {
  repetition: number;
  side: Side;
  /** Position in the alternating schedule. */
  order: number;
  /** Absolute path of the k6 JSON output. */
  file: string;
}

/** A results directory that cannot be read as such: bad input. */
export class ResultsError extends Error {}

type RunSample = ResourceSample & { side: Side; repetition: number };

function summarizeResources(samples: RunSample[]): ResourceSummary[] {
  // Sum the containers of one component at each sampling instant, then summarise over instants.
  const byKey = new Map<string, Map<string, { cpu: number; mem: number }>>();
  for (const s of samples) {
    const key = `${s.component}\u0000${s.side}`;
    const instants = byKey.get(key) ?? new Map();
    byKey.set(key, instants);
    const instant = `${s.repetition}/${s.time}`;
    const at = instants.get(instant) ?? { cpu: 0, mem: 0 };
    at.cpu += s.cpuMillicores;
    at.mem += s.memoryBytes;
    instants.set(instant, at);
  }
  return [...byKey]
    .map(([key, instants]) => {
      const [component, side] = key.split('\u0000') as [string, Side];
      const values = [...instants.values()];
      return {
        component,
        side,
        cpuMillicoresMean: values.reduce((a, v) => a + v.cpu, 0) / values.length,
        cpuMillicoresMax: Math.max(...values.map((v) => v.cpu)),
        memoryMiBMax: Math.max(...values.map((v) => v.mem)) / 2 ** 20,
        samples: values.length,
      };
    })
    .sort((a, b) => a.component.localeCompare(b.component) || a.side.localeCompare(b.side));
}

async function readResourceSamples(clusterDir: string, run: RunInput) {
  const path = resourcesPath(clusterDir, run.repetition, run.side);
  if (!existsSync(path)) return [];
  let data: ResourceSamples;
  try {
    data = JSON.parse(await readFile(path, 'utf8')) as ResourceSamples;
  } catch (error) {
    throw new ResultsError(`${path}: not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(data?.samples)) throw new ResultsError(`${path}: expected {"source","samples":[…]}`);
  return data.samples.map((s) => ({ ...s, side: run.side, repetition: run.repetition }));
}

/** Parses every run, marks invalid ones, pairs valid repetitions and summarises resource samples. */
export async function buildClusterResults(
  clusterDir: string,
  meta: ClusterMeta,
  runs: readonly RunInput[],
  options: BootstrapOptions = {},
): Promise<ClusterResults> {
  const records: RunRecord[] = [];
  const histograms = new Map<string, Histogram>();
  const resources: RunSample[] = [];
  for (const run of [...runs].sort((a, b) => a.order - b.order)) {
    const parsed = await parseK6Json(run.file);
    const reasons = invalidReasons(parsed);
    histograms.set(`${run.repetition}/${run.side}`, parsed.histogram);
    records.push({
      repetition: run.repetition,
      side: run.side,
      order: run.order,
      raw: relative(clusterDir, run.file),
      count: parsed.count,
      warmupCount: parsed.warmupCount,
      droppedIterations: parsed.droppedIterations,
      failedRequests: parsed.failedRequests,
      warmupDroppedIterations: parsed.warmupDroppedIterations,
      warmupFailedRequests: parsed.warmupFailedRequests,
      valid: reasons.length === 0,
      invalidReasons: reasons,
      percentiles: percentilesMs(parsed.histogram),
      histogram: encodeHistogram(parsed.histogram),
    });
    resources.push(...(await readResourceSamples(clusterDir, run)));
  }
  const repetitions = [...new Set(records.map((r) => r.repetition))].sort((a, b) => a - b);
  const complete = (rep: number) =>
    (['plain', 'mesh'] as const).every((side) =>
      records.some((r) => r.repetition === rep && r.side === side && r.valid),
    );
  const kept = repetitions.filter(complete);
  const analysis =
    kept.length === 0
      ? null
      : analyzePairs(
          kept.map((rep) => histograms.get(`${rep}/plain`) as Histogram),
          kept.map((rep) => histograms.get(`${rep}/mesh`) as Histogram),
          options,
        );
  return {
    schema: RESULTS_SCHEMA,
    ...meta,
    runs: records,
    excludedRepetitions: repetitions.filter((rep) => !complete(rep)),
    analysis,
    resources: summarizeResources(resources),
  };
}

/** Writes results.json atomically (a reader never sees half a file). */
export async function writeClusterResults(clusterDir: string, results: ClusterResults): Promise<string> {
  const path = join(clusterDir, RESULTS_FILE);
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, `${JSON.stringify(results, null, 2)}\n`);
  await rename(tmp, path);
  return path;
}

async function readOne(path: string): Promise<ClusterResults> {
  let data: ClusterResults;
  try {
    data = JSON.parse(await readFile(path, 'utf8')) as ClusterResults;
  } catch (error) {
    throw new ResultsError(`${path}: not JSON (${(error as Error).message})`);
  }
  if (data?.schema !== RESULTS_SCHEMA)
    throw new ResultsError(
      `${path}: not a meshproof results file (schema ${JSON.stringify(data?.schema)}, expected ${RESULTS_SCHEMA})`,
    );
  return data;
}

/** The runner's own results.json (steps of the whole run, no bench schema) sits in `.bench/<run-id>/`. */
async function isRunRecord(path: string): Promise<boolean> {
  try {
    const data = JSON.parse(await readFile(path, 'utf8')) as { schema?: unknown; steps?: unknown };
    return data.schema === undefined && Array.isArray(data.steps);
  } catch {
    return false;
  }
}

/** DIR/results.json when it is a cluster's results (a broken one too: readOne says what is wrong). */
async function clusterFile(dir: string): Promise<string | undefined> {
  const path = join(dir, RESULTS_FILE);
  return existsSync(path) && !(await isRunRecord(path)) ? path : undefined;
}

const subdirs = async (dir: string) =>
  (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => join(dir, e.name))
    .sort();

/**
 * Results under DIR: DIR/results.json (a cluster directory), or DIR/<cluster>/results.json (a run directory),
 * or DIR/<run-id>/<cluster>/results.json (the .bench folder itself). The runner's run-level results.json
 * beside the cluster folders is not a cluster's results and is passed over.
 */
export async function readResults(dir: string): Promise<ClusterResults[]> {
  const own = await clusterFile(dir);
  if (own) return [await readOne(own)];
  const found: ClusterResults[] = [];
  for (const sub of await subdirs(dir)) {
    const direct = await clusterFile(sub);
    if (direct) found.push(await readOne(direct));
    else
      for (const inner of await subdirs(sub)) {
        const file = await clusterFile(inner);
        if (file) found.push(await readOne(file));
      }
  }
  if (found.length === 0)
    throw new ResultsError(
      `${dir}: no ${RESULTS_FILE} in it, in DIR/<cluster>/ or in DIR/<run-id>/<cluster>/`,
    );
  return found;
}

/** The run histograms of a results file, decoded. */
export const runHistograms = (results: ClusterResults, side: Side): Histogram[] =>
  results.runs.filter((r) => r.side === side && r.valid).map((r) => decodeHistogram(r.histogram));
