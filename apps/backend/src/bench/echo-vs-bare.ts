// Benchmark (not a test): the backend's /api/echo (1 KB) against a bare node:http server sending
// the same bytes, same load generator, alternating rounds on 127.0.0.1 only. Prints the
// throughput and p99 ratios (backend / bare); the goal is throughput ≥ 0.8×.
// Usage: pnpm --filter @meshproof-app/backend bench [-- --seconds 5 --rounds 3 --connections 32]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { LoadResult } from './load.ts';
import { closedLoop } from './load.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '32' },
  },
});
const seconds = Math.min(60, Math.max(1, Number(values.seconds)));
const rounds = Math.min(10, Math.max(1, Number(values.rounds)));
const connections = Math.min(256, Math.max(1, Number(values.connections)));

type Target = { name: string; url: URL; cpuSeconds(): number; stop(): void };

/** A child's user+system CPU time from /proc (Linux), in seconds; NaN elsewhere. */
function cpuSecondsOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ (100 on Linux)
  } catch {
    return Number.NaN;
  }
}

async function startServer(name: string, script: string, path: string): Promise<Target> {
  const child = spawn(process.execPath, [fileURLToPath(new URL(script, import.meta.url))], {
    env: { PATH: process.env.PATH, PORT: '0', VERSION: 'bench', SHUTDOWN_DELAY_MS: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const m = /"event":"listening","port":(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
  });
  // The servers bind all interfaces or 127.0.0.1; the load only ever goes to loopback.
  return {
    name,
    url: new URL(`http://127.0.0.1:${port}${path}`),
    cpuSeconds: () => cpuSecondsOf(child.pid),
    stop: () => child.kill('SIGTERM'),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const fmt = (r: Round) =>
  `${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50Ms.toFixed(2)} ms  p99 ${r.p99Ms.toFixed(2)} ms  ` +
  `server CPU ${r.cpuUsPerRequest.toFixed(1)} µs/req  errors ${r.errors}`;

const backend = await startServer('backend', '../main.ts', '/api/echo?size=1024');
const bare = await startServer('bare', './bare-server.ts', '/');
type Round = LoadResult & { cpuUsPerRequest: number };
const results = new Map<string, Round[]>([
  ['backend', []],
  ['bare', []],
]);
try {
  console.log(
    `echo-vs-bare: ${rounds} rounds × ${seconds}s per server, ${connections} keep-alive connections`,
  );
  for (const t of [backend, bare]) await closedLoop(t.url, connections, 1); // JIT warm-up
  for (let round = 1; round <= rounds; round++) {
    // Alternate the order so drift on a shared machine hits both servers alike.
    const order = round % 2 === 1 ? [backend, bare] : [bare, backend];
    for (const t of order) {
      const cpuBefore = t.cpuSeconds();
      const load = await closedLoop(t.url, connections, seconds);
      const r = { ...load, cpuUsPerRequest: ((t.cpuSeconds() - cpuBefore) * 1e6) / load.requests };
      results.get(t.name)?.push(r);
      console.log(`round ${round} ${t.name.padEnd(7)} ${fmt(r)}`);
    }
  }
} finally {
  backend.stop();
  bare.stop();
}

const app = results.get('backend') ?? [];
const base = results.get('bare') ?? [];
const throughput = median(app.map((r) => r.rps)) / median(base.map((r) => r.rps));
const p99 = median(app.map((r) => r.p99Ms)) / median(base.map((r) => r.p99Ms));
console.log(`throughput ratio (backend/bare, median of rounds): ${throughput.toFixed(3)}× (goal ≥ 0.8×)`);
// The generator shares the machine with the server, so throughput also measures the generator;
// server CPU per request is the part that is the backend's own cost.
const cpu = median(base.map((r) => r.cpuUsPerRequest)) / median(app.map((r) => r.cpuUsPerRequest));
console.log(`p99 latency ratio (backend/bare, median of rounds): ${p99.toFixed(3)}×`);
console.log(`CPU-bound capacity ratio (bare/backend server CPU per request): ${cpu.toFixed(3)}×`);
process.exitCode = throughput >= 0.8 ? 0 : 1;
