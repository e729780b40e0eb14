// The mTLS overhead benchmark: the k6 script and its profiles, k6 output parsing, statistics and reports.
// No cluster code: the in-cluster run's objects, steps and tasks are the runner's (harness/src/bench).
export { analysisJson, formatAnalysisText } from './analysis-text.ts';
export { analyzeFiles, type FileAnalysis, type InvalidRun } from './analyze.ts';
export { HTTP_METRICS, httpTags, metricLine, pointLine } from './k6/format.ts';
export { invalidReasons, K6FormatError, type K6Run, parseK6Json, WARMUP_SCENARIO } from './k6/parse.ts';
export { PROFILE_NAMES, PROFILES, type ProfileName, schedule } from './k6/profiles.ts';
export { K6_IMAGE, k6Script } from './k6/script.ts';
export { ToolMissingError } from './local/exec.ts';
export { HAPROXY_INSTALL_HINT } from './local/haproxy.ts';
export { LOCAL_PROFILES, type LocalProfile } from './local/profiles.ts';
export {
  type GeneratorStats,
  LOCAL_LABEL,
  type LocalBenchResult,
  type LocalRun,
  MESH_SIDE,
  PLAIN_SIDE,
  runLocalBench,
} from './local/run.ts';
export { svg as chartSvg } from './report/charts.ts';
export { SEED_CLAIMS, SEED_SOURCE } from './report/claims.ts';
export { combinedJson, LOCAL_MESH, METHOD_PARAGRAPH, renderHtml, renderMarkdown } from './report/html.ts';
export { defaultReportPaths, type ReportPaths, writeReport } from './report/write.ts';
export {
  buildClusterResults,
  type ClusterMeta,
  ResultsError,
  type RunInput,
  readResults,
  runHistograms,
  writeClusterResults,
} from './results/build.ts';
export { hostEnvironment } from './results/environment.ts';
export * from './results/layout.ts';
export {
  decodeHistogram,
  encodeHistogram,
  type Histogram,
  newHistogram,
  PERCENTILES,
  type PercentileKey,
  type Percentiles,
  percentileMs,
  percentilesMs,
  recordMs,
} from './stats/histogram.ts';
export {
  type Analysis,
  analyzePairs,
  analyzeUnpaired,
  type Overhead,
  type SideSummary,
} from './stats/overhead.ts';
export { type Rng, seededRng } from './stats/rng.ts';
