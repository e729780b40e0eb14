// Benchmark (not a test): how much of a bare node:http server's capacity the backend keeps, measured
// by wrk — a load generator outside Node and outside the servers' processes — pinned to another
// CPU than the servers where the machine allows. Rounds alternate bare and backend; each backend
// round is compared with the bare round beside it. Capacity is 1 / server CPU per request (read
// from /proc/<pid>/stat), which a busy machine blurs far less than throughput.
// Usage: ./dev --filter @meshproof-app/backend bench [--rounds 5] [--seconds 3] [--connections 32]
// Exit: 0 goal met, 1 goal not met or a round had errors, 2 bad flag or wrk missing.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { LoadState } from './machine.ts';
import { autogroupEnabled, choosePinning, cpuSecondsOf, loadState, pinProcess } from './machine.ts';
import type { Pair, RoundFigures } from './pairs.ts';
import { formatSpread, spread, summarizePairs } from './pairs.ts';
import type { ServerProcess } from './servers.ts';
import { startServerProcess, startTraceSink } from './servers.ts';
import type { WrkResult } from './wrk.ts';
import { runWrk, wrkVersion } from './wrk.ts';

const GOAL = 0.9;

function usage(message: string): never {
  console.error(`bench: ${message}`);
  console.error('usage: bench [--rounds 1-20] [--seconds 1-60] [--connections 1-1024]');
  process.exit(2);
}

function intFlag(values: Record<string, unknown>, name: string, min: number, max: number): number {
  const text = String(values[name]);
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max)
    usage(`--${name} must be an integer from ${min} to ${max}, got "${text}"`);
  return Number(text);
}

let values: Record<string, unknown>;
try {
  ({ values } = parseArgs({
    // pnpm passes a leading `--` through to the script.
    args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')),
    options: {
      rounds: { type: 'string', default: '5' },
      seconds: { type: 'string', default: '3' },
      connections: { type: 'string', default: '32' },
    },
  }));
} catch (err) {
  usage((err as Error).message);
}
const rounds = intFlag(values, 'rounds', 1, 20);
const seconds = intFlag(values, 'seconds', 1, 60);
const connections = intFlag(values, 'connections', 1, 1024);

const wrk = wrkVersion();
if (wrk === undefined) {
  console.error(
    'bench: wrk is not installed. Install it with `apt-get install wrk` (Debian/Ubuntu), ' +
      '`brew install wrk` (macOS), or run `bash scripts/ci-setup.sh`, which installs it here.',
  );
  process.exit(2);
}

const pinning = choosePinning();
const serverCpu = 'server' in pinning ? pinning.server : undefined;
const generatorCpu = 'server' in pinning ? pinning.generator : undefined;
// The bench's own process (it only waits on wrk and serves the trace sink) stays off the server's CPU.
if (generatorCpu !== undefined) pinProcess(process.pid, generatorCpu);

const describeLoad = (l: LoadState) => `${l.load1.toFixed(2)} (1 min), ${l.load5.toFixed(2)} (5 min)`;
const startLoad = loadState();
console.log(
  `backend vs bare node:http: wrk ${wrk}, 1 thread, ${connections} keep-alive connections, ` +
    `${rounds} rounds × ${seconds} s per server, alternating; ${new Date().toISOString()}`,
);
console.log(
  `machine: ${startLoad.cpus} CPUs; ${
    serverCpu === undefined
      ? `not pinned (${'reason' in pinning ? pinning.reason : ''})`
      : `servers pinned to CPU ${serverCpu}, wrk to CPU ${generatorCpu}`
  }; load average at start ${describeLoad(startLoad)}`,
);

const script = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const appEnv = { PORT: '0', VERSION: 'bench', SHUTDOWN_DELAY_MS: '0' };
const sink = await startTraceSink();
const started: ServerProcess[] = [];
const start = async (name: string, path: string, env: Record<string, string>) => {
  const s = await startServerProcess(name, script(path), env, serverCpu);
  started.push(s);
  return s;
};

type Variant = { label: string; server: ServerProcess; path: string; pairs: Pair[] };
let failed = false;
const cpuShares: number[] = []; // server CPU seconds per wall second, per counted run
try {
  const bare = await start('bare', './bare-server.ts', {});
  const backend = await start('backend', '../main.ts', appEnv);
  const traced = await start('backend (tracing on)', '../main.ts', {
    ...appEnv,
    OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
  });
  const variants: Variant[] = [
    { label: '/api/echo?size=1024', server: backend, path: '/api/echo?size=1024', pairs: [] },
    { label: '/', server: backend, path: '/', pairs: [] },
    { label: '/api/echo?size=1024, tracing on', server: traced, path: '/api/echo?size=1024', pairs: [] },
  ];

  const measure = async (server: ServerProcess, path: string, label: string, round: number) => {
    const url = new URL(`http://127.0.0.1:${server.port}${path}`);
    const cpuBefore = cpuSecondsOf(server.pid);
    const r: WrkResult = await runWrk({ url, seconds, connections, cpu: generatorCpu });
    const cpu = cpuSecondsOf(server.pid) - cpuBefore;
    const figures: RoundFigures = { rps: r.rps, cpuUsPerRequest: (cpu * 1e6) / r.requests };
    if (round > 0) {
      cpuShares.push(cpu / r.seconds);
      console.log(
        `round ${round} ${label.padEnd(32)} ${r.rps.toFixed(0).padStart(6)} req/s  ` +
          `p50 ${r.p50Ms.toFixed(2)} ms  p99 ${r.p99Ms.toFixed(2)} ms  ` +
          `server CPU ${figures.cpuUsPerRequest.toFixed(1).padStart(5)} µs/req, ` +
          `${((cpu / r.seconds) * 100).toFixed(0).padStart(3)} % of a CPU` +
          (r.errors > 0 ? `  ERRORS ${r.errors}` : ''),
      );
      if (r.errors > 0) failed = true;
    }
    return figures;
  };

  // Warm-up: the JIT settles before anything counts.
  await measure(bare, '/', 'bare', 0);
  for (const v of variants) await measure(v.server, v.path, v.label, 0);

  for (let round = 1; round <= rounds; round++) {
    for (const [i, v] of variants.entries()) {
      // Which of the pair goes first alternates, so a trend on the machine hits both sides alike.
      const bareFirst = (round + i) % 2 === 1;
      const first = bareFirst
        ? await measure(bare, '/', 'bare', round)
        : await measure(v.server, v.path, v.label, round);
      const second = bareFirst
        ? await measure(v.server, v.path, v.label, round)
        : await measure(bare, '/', 'bare', round);
      v.pairs.push(bareFirst ? { bare: first, app: second } : { bare: second, app: first });
    }
  }

  const endLoad = loadState();
  console.log(`load average at end ${describeLoad(endLoad)}`);
  // The bench itself keeps two CPUs busy; more than that at the end, or anything much at the start,
  // means other work competed with the server.
  const high = startLoad.load1 > startLoad.cpus * 0.5 || endLoad.load1 > startLoad.cpus + 1;
  const share = spread(cpuShares).median;
  if (share < 0.5)
    console.log(
      `NOTE: the servers used only ${(share * 100).toFixed(0)} % of a CPU under load (median): other work ` +
        'starved them, so these figures say little about their own cost.',
    );
  if (high) {
    console.log(
      'NOTE: the load was high: other work competed for the CPUs, so throughput figures are noisy; ' +
        'server CPU per request holds up better. Re-run on a quiet machine for the figures of record.',
    );
    if (autogroupEnabled())
      console.log(
        'NOTE: this kernel schedules per session (sched_autogroup_enabled=1): other sessions running under ' +
          '`nice` still get an equal share against the bench.',
      );
  }

  console.log('\nmedian of alternating pairs (min–max):');
  console.log(
    `${'target'.padEnd(32)} ${'throughput ÷ bare'.padEnd(22)} ${'capacity ÷ bare'.padEnd(22)} server CPU µs/req (bare)`,
  );
  const summaries = variants.map((v) => ({ v, s: summarizePairs(v.pairs) }));
  for (const { v, s } of summaries) {
    console.log(
      `${v.label.padEnd(32)} ${formatSpread(s.throughput).padEnd(22)} ${formatSpread(s.capacity).padEnd(22)} ` +
        `${s.appCpuUs.median.toFixed(1)} (${s.bareCpuUs.median.toFixed(1)})`,
    );
  }
  const [echo, root, tracedEcho] = summaries.map((x) => x.s);
  if (echo && tracedEcho) {
    const extraUs = tracedEcho.appCpuUs.median - echo.appCpuUs.median;
    console.log(
      `tracing on (every request a sampled span, exported over OTLP/HTTP to a local sink: ` +
        `${sink.posts()} batches, ${(sink.bytes() / 1e6).toFixed(1)} MB) costs ` +
        `${extraUs.toFixed(1)} µs of server CPU per request on /api/echo: capacity ` +
        `${tracedEcho.capacity.median.toFixed(2)}× bare instead of ${echo.capacity.median.toFixed(2)}×`,
    );
    if (sink.posts() === 0) {
      console.log('ERROR: the traced backend exported no spans, so its figure does not measure tracing');
      failed = true;
    }
  }
  const met = [echo, root].every((s) => s !== undefined && s.capacity.median >= GOAL);
  console.log(
    `goal: capacity ≥ ${GOAL}× bare on /api/echo and on / (metrics on, tracing off): ${met ? 'met' : 'NOT met'}` +
      (failed ? '; some rounds had errors, figures are not valid' : ''),
  );
  process.exitCode = met && !failed ? 0 : 1;
} finally {
  for (const s of started) s.stop();
  await sink.close();
}
