// Executors of the benchmark's task steps (steps.ts). They only run the argv the plan shows, through the
// runner's ctx.exec; what they add is waiting, sampling and writing the results directory.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  buildClusterResults,
  hostEnvironment,
  type Profile,
  type ResourceSample,
  type Side,
  writeClusterResults,
} from '@meshproof/bench';
import { meshPlugin } from '@meshproof/render';
import type { Mesh } from '@meshproof/spec';
import type { TaskContext, TaskExecutor } from '../registry.ts';
import type { HostTool, Json } from '../step.ts';
import { K6_IMAGE } from './objects.ts';
import { dataPlaneSamples } from './resources.ts';
import { BENCH_RESULTS_TASK, BENCH_RUN_TASK } from './steps.ts';

type Argv = [HostTool, ...string[]];

/** k6's exit code when thresholds fail (dropped iterations, failed requests): the run is kept and judged invalid. */
const K6_THRESHOLDS_FAILED = 99;

const abs = (ctx: TaskContext, p: string) => (isAbsolute(p) ? p : join(ctx.root, p));

async function must(ctx: TaskContext, argv: Argv, input?: string) {
  const r = await ctx.exec(argv, input === undefined ? {} : { input });
  if (r.code !== 0)
    throw new Error(`${argv.slice(0, 6).join(' ')} … exited ${r.code}: ${r.stderr.trim().slice(0, 500)}`);
  return r.stdout;
}

const k6Run: TaskExecutor = async (args, ctx) => {
  const argv = args.argv as unknown as Record<'apply' | 'state' | 'logs' | 'metrics' | 'delete', Argv>;
  const rawFile = abs(ctx, String(args.rawFile));
  const resourcesFile = abs(ctx, String(args.resourcesFile));
  const every = Number(args.sampleEveryMs);
  const { dataPlaneComponent } = meshPlugin(String(args.mesh) as Mesh);
  const deadline = Date.now() + Number(args.deadlineMs);
  await must(ctx, argv.apply, JSON.stringify(args.job));
  const samples: ResourceSample[] = [];
  let exitCode: number | undefined;
  while (exitCode === undefined) {
    if (Date.now() > deadline)
      throw new Error(`k6 did not finish within ${Number(args.deadlineMs) / 1000} s`);
    await sleep(every, undefined, { signal: ctx.signal });
    const metrics = await ctx.exec(argv.metrics);
    if (metrics.code === 0) samples.push(...dataPlaneSamples(JSON.parse(metrics.stdout), dataPlaneComponent));
    else ctx.log(`metrics API not readable this time (${metrics.stderr.trim().slice(0, 200)})`);
    const state = (await must(ctx, argv.state)).trim();
    if (state !== '') exitCode = Number(state);
  }
  // Container logs hold stdout and stderr; k6 writes its JSON samples to stdout and its log lines (logfmt)
  // to stderr, so the JSON lines are the ones that start with "{".
  const logs = await must(ctx, argv.logs);
  const lines = logs.split('\n');
  const json = lines.filter((l) => l.startsWith('{'));
  await mkdir(dirname(rawFile), { recursive: true });
  await writeFile(rawFile, `${json.join('\n')}\n`);
  await mkdir(dirname(resourcesFile), { recursive: true });
  await writeFile(
    resourcesFile,
    `${JSON.stringify({ source: 'metrics-server (metrics.k8s.io/v1beta1)', samples }, null, 1)}\n`,
  );
  ctx.evidence({
    type: 'file',
    path: String(args.rawFile),
    jsonLines: json.length,
    otherLines: lines.length - json.length,
    k6ExitCode: exitCode,
    resourceSamples: samples.length,
  });
  await must(ctx, argv.delete);
  if (exitCode !== 0 && exitCode !== K6_THRESHOLDS_FAILED)
    throw new Error(`k6 exited ${exitCode} (see ${args.rawFile} and the step log)`);
  if (exitCode === K6_THRESHOLDS_FAILED)
    ctx.log(
      'k6 thresholds failed: the analysis will mark this run invalid (dropped iterations or failed requests)',
    );
};

const results: TaskExecutor = async (args, ctx) => {
  const clusterDir = abs(ctx, String(args.clusterDir));
  const version = await ctx.exec(args.versions as unknown as Argv);
  let kubernetes = 'unknown';
  try {
    kubernetes =
      (JSON.parse(version.stdout) as { serverVersion?: { gitVersion?: string } }).serverVersion?.gitVersion ??
      kubernetes;
  } catch {
    ctx.log('kubectl version gave no JSON; Kubernetes version recorded as unknown');
  }
  const planned = (args.runs as Array<{ repetition: number; side: Side; order: number; file: string }>).map(
    (r) => ({ ...r, file: abs(ctx, r.file) }),
  );
  // A run whose step failed left no raw file: its repetition has no pair and is listed as excluded.
  const runs = planned.filter((r) => existsSync(r.file));
  for (const r of planned.filter((x) => !existsSync(x.file)))
    ctx.log(`no raw output for repetition ${r.repetition} ${r.side}: left out`);
  const built = await buildClusterResults(
    clusterDir,
    {
      runId: String(args.runId),
      cluster: String(args.cluster),
      mesh: String(args.mesh),
      label: `${args.cluster} (${args.mesh})`,
      plainSide: String(args.plainSide),
      meshSide: String(args.meshSide),
      profile: args.profile as unknown as Profile,
      environment: hostEnvironment({ kubernetes, k6: K6_IMAGE, mesh: String(args.mesh) }, [
        'kind nodes share the host CPUs and kernel',
      ]),
    },
    runs,
  );
  const path = await writeClusterResults(clusterDir, built);
  ctx.evidence({
    type: 'file',
    path,
    pairs: built.analysis?.method.pairs ?? 0,
    excluded: built.excludedRepetitions as unknown as Json,
  });
  // results.json is written either way (the evidence); a left-out repetition makes the run invalid (exit 1).
  const missing = planned.length - runs.length;
  if (built.excludedRepetitions.length > 0 || missing > 0)
    throw new Error(
      `invalid benchmark: repetition(s) ${built.excludedRepetitions.join(', ') || '-'} left out (${missing} run(s) without output; see ${path})`,
    );
};

export const BENCH_TASKS: Readonly<Record<string, TaskExecutor>> = {
  [BENCH_RUN_TASK]: k6Run,
  [BENCH_RESULTS_TASK]: results,
};
