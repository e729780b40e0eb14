// `meshproof bench --local [--profile quick|full]`: the floor under any sidecar mesh, measured on this
// machine (packages/bench/src/local), written to .bench/<run-id>/local/ like an in-cluster run, analysed
// and rendered into the report.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  buildClusterResults,
  defaultReportPaths,
  formatAnalysisText,
  HAPROXY_INSTALL_HINT,
  hostEnvironment,
  LOCAL_LABEL,
  LOCAL_MESH,
  LOCAL_PROFILES,
  type LocalBenchResult,
  type LocalProfile,
  MESH_SIDE,
  runId as newRunId,
  PLAIN_SIDE,
  runLocalBench,
  ToolMissingError,
  writeClusterResults,
  writeReport,
} from '@meshproof/bench';
import { parseFlags } from '../command.ts';
import { EXIT, type Io, UsageError } from '../io.ts';

export const LOCAL_HELP = `Usage: meshproof bench --local [--profile quick|full] [--out DIR]

${LOCAL_LABEL}.
Runs the demo backend on this machine twice per repetition, reached directly (plain) and through two
HAProxy processes doing mutual TLS between them (mesh), in alternating order; drives both with an open-model
load generator (constant arrival rate, latency from the intended send time, so stalls are not hidden) and
analyses the pairs like in-cluster runs. Needs HAProxy (Debian/Ubuntu: apt-get install haproxy) and openssl.
  --profile NAME   quick (${describe(LOCAL_PROFILES.quick)}; default)
                   full (${describe(LOCAL_PROFILES.full)})
  --out DIR        where <run-id>/local/ and <run-id>/report.html go (default .bench)
Exit codes: 0 analysed; 1 no valid repetition pair, a run that failed, or HAProxy/openssl missing; 2 usage.
`;

function describe(p: LocalProfile): string {
  return `${p.rate} req/s, ${p.durationSeconds} s after ${p.warmupSeconds} s warm-up, ${p.repetitions} repetitions`;
}

const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');

function environmentNotes(result: LocalBenchResult, profile: LocalProfile): string[] {
  const lags = result.runs.map((r) => r.generator.sendLagMs.p99);
  return [
    LOCAL_LABEL,
    'Load: open model at a constant arrival rate; http_req_duration runs from the intended send time ' +
      '(coordinated-omission corrected; k6 times from the actual send); an iteration finding no free ' +
      `connection is dropped, as k6 drops it; ${profile.connections} keep-alive connections opened and primed before timing.`,
    `Load generator lateness, p99 per run: ${Math.min(...lags).toFixed(3)} to ${Math.max(...lags).toFixed(3)} ms ` +
      '(included in the latency, on both sides).',
    'Proxies: HAProxy in TCP mode (L4), one thread each, TLS 1.3, ECDSA P-256 certificates from a CA generated ' +
      'for this run; B requires and verifies the client certificate.',
    "Every process (generator, both proxies, backend) shares this machine's CPUs, with nothing pinned; " +
      'a fresh backend process per run, on 127.0.0.1.',
    `Load average (1/5/15 min) before: ${load(result.loadAverage.before)}; after: ${load(result.loadAverage.after)} ` +
      '(other work on the machine shows up as noise, mostly in the tail).',
  ];
}

export async function runLocal(argv: string[], io: Io): Promise<number> {
  const { values } = parseFlags(argv, {
    local: { type: 'boolean' },
    profile: { type: 'string', default: 'quick' },
    out: { type: 'string', default: '.bench' },
  });
  if (values.help) {
    io.stdout.write(LOCAL_HELP);
    return EXIT.ok;
  }
  const profile = LOCAL_PROFILES[values.profile as LocalProfile['name']];
  if (!Object.hasOwn(LOCAL_PROFILES, values.profile) || !profile)
    throw new UsageError(`--profile must be quick or full (got "${values.profile}")`);
  const runId = newRunId();
  io.stdout.write(
    `meshproof bench --local: ${LOCAL_LABEL}.\nrun ${runId}, profile ${profile.name}: ${describe(profile)}\n`,
  );
  let result: LocalBenchResult;
  try {
    result = await runLocalBench(values.out, runId, profile, (line) => io.stdout.write(`  ${line}\n`));
  } catch (error) {
    // The path of a bad --out goes to the CLI's file-error message (exit 2); anything else failed the run.
    if ((error as NodeJS.ErrnoException).path) throw error;
    const message =
      error instanceof ToolMissingError && error.tool === 'haproxy'
        ? HAPROXY_INSTALL_HINT
        : (error as Error).message;
    io.stderr.write(`meshproof bench --local: ${message} (nothing written; proxies and backend stopped)\n`);
    return EXIT.failure;
  }
  const results = await buildClusterResults(
    result.dir,
    {
      runId,
      cluster: 'local',
      mesh: LOCAL_MESH,
      label: LOCAL_LABEL,
      plainSide: PLAIN_SIDE,
      meshSide: MESH_SIDE,
      profile: {
        name: profile.name,
        rate: profile.rate,
        durationSeconds: profile.durationSeconds,
        warmupSeconds: profile.warmupSeconds,
        repetitions: profile.repetitions,
        payloadBytes: profile.payloadBytes,
      },
      environment: hostEnvironment(result.versions, environmentNotes(result, profile)),
    },
    result.runs,
  );
  await writeClusterResults(result.dir, results);
  // The generator's own bookkeeping per run (schedule kept, lateness, errors) beside results.json.
  await writeFile(
    join(result.dir, 'generator.json'),
    `${JSON.stringify(
      result.runs.map(({ repetition, side, generator }) => ({ repetition, side, ...generator })),
      null,
      2,
    )}\n`,
  );
  const report = defaultReportPaths(join(values.out, runId, 'report.html'));
  await writeReport([results], report);

  for (const run of results.runs.filter((r) => !r.valid))
    io.stdout.write(`left out: repetition ${run.repetition} ${run.side}: ${run.invalidReasons.join('; ')}\n`);
  io.stdout.write('\n');
  if (results.analysis) io.stdout.write(formatAnalysisText(results.analysis));
  else io.stdout.write('No repetition has a valid plain and mesh run: nothing to analyse.\n');
  io.stdout.write(
    `\n(${LOCAL_LABEL}; load average before ${load(result.loadAverage.before)}, after ${load(result.loadAverage.after)}.)\nwrote ${result.dir}/ (raw k6 JSON, resources, results.json) and ${report.html} (+ .md, .json)\n`,
  );
  return results.analysis ? EXIT.ok : EXIT.failure;
}
