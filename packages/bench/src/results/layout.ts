// The per-run results directory, the contract between whatever produced the runs (the in-cluster k6 Jobs,
// `bench --local`) and the analysis/report:
//
//   .bench/<run-id>/<cluster>/
//     raw/<NN>-<side>.json[.gz]      k6 JSON output (`k6 run --out json=…`) of repetition NN (01, 02, …), side plain|mesh
//     resources/<NN>-<side>.json     data-plane CPU/memory samples taken during that run (optional; ResourceSamples)
//     results.json                   ClusterResults: environment, profile, every run with its histogram, the analysis
//
// <run-id> is a UTC timestamp (YYYYMMDDTHHMMSSZ) so runs sort by time; <cluster> is the spec's cluster name (or
// `local` for the loopback floor). Raw files are kept as the evidence; results.json alone is enough to render a
// report (it embeds each run's HDR histogram, compressed).
import { join } from 'node:path';
import type { Percentiles } from '../stats/histogram.ts';
import type { Analysis } from '../stats/overhead.ts';

export const RESULTS_FILE = 'results.json';
export const RESULTS_SCHEMA = 'meshproof.bench/v1';
export type Side = 'plain' | 'mesh';

export const runId = (date = new Date()): string =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

const rep = (n: number) => String(n).padStart(2, '0');
export const rawPath = (clusterDir: string, repetition: number, side: Side, gzip = false) =>
  join(clusterDir, 'raw', `${rep(repetition)}-${side}.json${gzip ? '.gz' : ''}`);
export const resourcesPath = (clusterDir: string, repetition: number, side: Side) =>
  join(clusterDir, 'resources', `${rep(repetition)}-${side}.json`);

/** One sample of one data-plane container, as metrics-server (or cAdvisor) reports it. */
export interface ResourceSample {
  time: string;
  namespace: string;
  pod: string;
  container: string;
  /** What the container is, e.g. "istio-proxy (sidecar)", "ztunnel", "linkerd-proxy", "cilium-agent". */
  component: string;
  cpuMillicores: number;
  memoryBytes: number;
}

export interface ResourceSamples {
  source: string;
  samples: ResourceSample[];
}

/** Summary of one component's cost over the runs of one side. */
export interface ResourceSummary {
  component: string;
  side: Side;
  /** Mean over samples of the summed CPU of all containers of the component, millicores. */
  cpuMillicoresMean: number;
  cpuMillicoresMax: number;
  /** Largest summed memory of the component seen in a sample, MiB. */
  memoryMiBMax: number;
  samples: number;
}

export interface Environment {
  recordedAt: string;
  host: { cpuModel: string; cpus: number; memoryGiB: number; kernel: string; os: string };
  /** Tool and component versions: node, kind, kubernetes, the mesh, k6, proxies … (whatever applies). */
  versions: Record<string, string>;
  /** Free-form facts worth keeping (node placement, cpusets, mesh features on). */
  notes: string[];
}

export interface Profile {
  name: string;
  /** Requests per second of the open-model (constant-arrival-rate) load. */
  rate: number;
  durationSeconds: number;
  warmupSeconds: number;
  repetitions: number;
  payloadBytes: number;
}

export interface RunRecord {
  repetition: number;
  side: Side;
  /** Order in the alternating schedule (0-based). */
  order: number;
  /** Path of the raw k6 output, relative to the cluster directory. */
  raw: string;
  count: number;
  warmupCount: number;
  /** Whole run; the warm-up part is reported apart and does not invalidate the run. */
  droppedIterations: number;
  failedRequests: number;
  warmupDroppedIterations: number;
  warmupFailedRequests: number;
  valid: boolean;
  invalidReasons: string[];
  percentiles: Percentiles;
  /** HDR histogram (µs), compressed base64 (stats/histogram.ts encodeHistogram). */
  histogram: string;
}

export interface ClusterResults {
  schema: typeof RESULTS_SCHEMA;
  runId: string;
  cluster: string;
  /** Mesh of the cluster (`none`, `istio-ambient`, …) or `local-mtls-proxy` for the loopback floor. */
  mesh: string;
  /** One line saying what this result is, shown as its label in reports. */
  label: string;
  /** Exactly what the plain side includes (e.g. Cilium's WireGuard also encrypts the plain side's packets). */
  plainSide: string;
  /** What the mesh side adds. */
  meshSide: string;
  profile: Profile;
  environment: Environment;
  runs: RunRecord[];
  /** Repetitions left out because one of their runs is invalid. */
  excludedRepetitions: number[];
  /** Paired analysis over the valid repetitions; null when none is left. */
  analysis: Analysis | null;
  resources: ResourceSummary[];
}
