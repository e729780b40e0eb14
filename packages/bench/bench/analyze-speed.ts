// The benchmark's own cost: wall time and peak RSS of `meshproof bench analyze` over 1 million
// http_req_duration samples (goal: under 5 s, memory bounded), run cold through ./dev as a user would.
// Writes 10 k6 JSON output files (5 plain, 5 mesh, 100 000 requests each) in the full shape k6 writes: for every
// request the nine HTTP metric lines plus data_sent, data_received, iteration_duration and iterations, so
// the files hold 13 million lines in all. `--lean` writes only http_req_duration and http_req_failed lines
// (what a generator with its own k6-format writer emits), to show how the cost scales with lines, not requests.
// Usage: node packages/bench/bench/analyze-speed.ts [--lean] [--requests N]
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HTTP_METRICS, httpTags, metricLine, pointLine } from '../src/index.ts';
import { exponential, seededRng } from '../src/stats/rng.ts';

const { values } = parseArgs({ options: { lean: { type: 'boolean' }, requests: { type: 'string' } } });
const TOTAL = Number(values.requests ?? 1_000_000);
const FILES_PER_SIDE = 5;
const root = join(import.meta.dirname, '../../..');

async function writeRun(path: string, requests: number, baseMs: number, seed: number): Promise<void> {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  const rng = seededRng(seed);
  const url = `http://backend.bench-${path.includes('mesh') ? 'mesh' : 'plain'}.svc.cluster.local:8080/`;
  const tags = httpTags(url, 'measure');
  const iterTags = { group: '', scenario: 'measure' };
  const write = (line: string) =>
    out.write(`${line}\n`) ? undefined : new Promise<void>((r) => out.once('drain', () => r()));
  const metrics = values.lean
    ? HTTP_METRICS.filter(([n]) => n === 'http_req_duration' || n === 'http_req_failed')
    : HTTP_METRICS;
  for (const [n, type, contains] of metrics) await write(metricLine(n, type, contains));
  if (!values.lean) {
    await write(metricLine('data_sent', 'counter', 'data'));
    await write(metricLine('data_received', 'counter', 'data'));
    await write(metricLine('iteration_duration', 'trend', 'time'));
    await write(metricLine('iterations', 'counter', 'default'));
  }
  const start = Date.UTC(2026, 11, 3, 8);
  for (let i = 0; i < requests; i++) {
    const t = new Date(start + i * 2).toISOString();
    const ms = Math.round((baseMs + exponential(rng, 0.2)) * 1e6) / 1e6;
    for (const [n] of metrics) {
      const v =
        n === 'http_req_duration'
          ? ms
          : n === 'http_req_failed'
            ? 0
            : n === 'http_req_waiting'
              ? ms - 0.05
              : 0.01;
      await write(pointLine(n, t, n === 'http_reqs' ? 1 : v, tags));
    }
    if (!values.lean) {
      await write(pointLine('data_sent', t, 98, iterTags));
      await write(pointLine('data_received', t, 1133, iterTags));
      await write(pointLine('iteration_duration', t, ms + 0.1, iterTags));
      await write(pointLine('iterations', t, 1, iterTags));
    }
  }
  await new Promise<void>((r) => out.end(() => r()));
}

const dir = mkdtempSync(join(tmpdir(), 'meshproof-analyze-speed-'));
try {
  const plain: string[] = [];
  const mesh: string[] = [];
  const perFile = Math.round(TOTAL / (2 * FILES_PER_SIDE));
  for (let i = 0; i < FILES_PER_SIDE; i++) {
    plain.push(join(dir, `plain-${i}.json`));
    mesh.push(join(dir, `mesh-${i}.json`));
    await writeRun(plain[i] as string, perFile, 0.4, 2 * i + 1);
    await writeRun(mesh[i] as string, perFile, 0.5, 2 * i + 2);
  }
  const bytes = [...plain, ...mesh].reduce((s, f) => s + statSync(f).size, 0);
  const args = ['bench', 'analyze', '--plain', ...plain, '--mesh', ...mesh, '--json'];
  const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  const run = (label: string, cmd: string[]) => {
    const argv = timeBin ? [timeBin, '-f', 'wall=%e rss_kb=%M user=%U sys=%S', ...cmd] : cmd;
    const t0 = performance.now();
    const r = spawnSync(argv[0] as string, argv.slice(1), {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    const wall = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`${label} exited ${r.status}: ${r.stderr}`);
    const rss = /rss_kb=(\d+)/.exec(r.stderr)?.[1];
    const cpu = /user=([\d.]+) sys=([\d.]+)/.exec(r.stderr);
    const out = JSON.parse(r.stdout);
    console.log(
      `${label}: ${wall.toFixed(2)} s wall${cpu ? ` (${(Number(cpu[1]) + Number(cpu[2])).toFixed(2)} s CPU)` : ''}, peak RSS ${rss ? `${(Number(rss) / 1024).toFixed(0)} MiB` : 'unknown (no /usr/bin/time)'}; ` +
        `${out.plain.count + out.mesh.count} samples, p50 overhead ${out.overhead.p50.ms.toFixed(3)} ms`,
    );
  };
  console.log(
    `${TOTAL} requests in ${2 * FILES_PER_SIDE} k6 JSON files (${values.lean ? 'lean' : 'full k6 line set'}), ${(bytes / 2 ** 20).toFixed(0)} MiB`,
  );
  run('cold via ./dev meshproof', ['./dev', 'meshproof', ...args]);
  run('node packages/cli/src/main.ts', [process.execPath, 'packages/cli/src/main.ts', ...args]);
  console.log(
    `load average while measuring: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (on ${cpus().length} CPUs)`,
  );
  console.log(
    'goal: under 5 s over 1 million samples, memory bounded (one histogram per run, no sample arrays)',
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
