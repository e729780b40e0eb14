// The open-model generator against a server with known behaviour: the schedule it keeps, a known
// added delay, a server stall (seen in latency, or as drops when the pool is too small) and a
// stall of the generator itself (coordinated omission: seen only because latency runs from the
// intended send time).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { writeK6Json } from './k6-json.ts';
import { type OpenLoopResult, openLoop } from './open-loop.ts';

let child: ChildProcess;
let port: number;
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshproof-open-loop-'));
  child = spawn(process.execPath, [new URL('./testing/stall-server.ts', import.meta.url).pathname], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (c) => resolve(JSON.parse(String(c)).port));
    child.once('exit', (code) => reject(new Error(`stall server exited ${code}`)));
  });
});
after(async () => {
  child?.kill('SIGTERM');
  await rm(dir, { recursive: true, force: true });
});

const fetchJson = (path: string) =>
  new Promise<unknown>((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(JSON.parse(body || 'null')));
    }).on('error', reject);
  });

const measured = (r: OpenLoopResult) => [...r.latencyMs].filter((x) => !Number.isNaN(x));
const atLeast = (xs: number[], ms: number) => xs.filter((x) => x >= ms).length;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const busyWait = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until) {}
};

describe('open-model load generator', () => {
  test('keeps the schedule: every request sent, spread evenly, written as k6 JSON', async () => {
    await fetchJson('/arrivals'); // reset
    const r = await openLoop({ port, path: '/ok', rate: 400, durationS: 2, warmupS: 0.25, connections: 256 });
    assert.deepEqual(r.counts, { completed: 800, ok: 800, failed: 0, dropped: 0, unfinished: 0 });
    const arrivals = (await fetchJson('/arrivals')) as number[];
    assert.equal(arrivals.length, 900, 'warm-up (100) and measured (800) requests all reach the server');
    // Sorted, the j-th arrival (warm-up included) comes no earlier than the j-th intended send time (never
    // early; 2 ms for the two processes' clocks) and typically within a few ms of it (no batching
    // into bursts, no falling behind). Medians, so a hiccup of this shared machine does not decide.
    const intended = Array.from({ length: 900 }, (_, j) => r.startEpochMs + (j - 100) * 2.5);
    const lags = arrivals.sort((x, y) => x - y).map((t, j) => t - (intended[j] as number));
    assert.ok(Math.min(...lags) >= -2, `an arrival ${-Math.min(...lags)} ms before its intended time`);
    assert.ok(median(lags) < 20, `median arrival ${median(lags)} ms after the intended time`);
    assert.ok(
      r.sendLagMs.every((x) => x >= 0),
      'nothing is sent before it is due',
    );

    const file = join(dir, 'schedule.json');
    await writeK6Json(file, r, 'plain', 'http://127.0.0.1/ok');
    const lines = (await readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const durations = lines.filter((l) => l.type === 'Point' && l.metric === 'http_req_duration');
    const failed = lines.filter((l) => l.type === 'Point' && l.metric === 'http_req_failed');
    assert.equal(durations.length, 800);
    assert.equal(failed.length, 800);
    assert.ok(failed.every((l) => l.data.value === 0));
    assert.deepEqual(lines[0], {
      type: 'Metric',
      data: { name: 'http_req_duration', type: 'trend', contains: 'time', thresholds: [], submetrics: null },
      metric: 'http_req_duration',
    });
    // Intended send times are exactly 1/rate apart (to the microsecond the timestamps carry).
    const t0 = Date.parse(durations[0].data.time);
    const t799 = Date.parse(durations[799].data.time);
    assert.ok(Math.abs(t799 - t0 - 799 * 2.5) <= 1, `${t799 - t0} ms between first and last`);
    assert.equal(durations[5].data.tags.status, '200');
  });

  test('a known 30 ms server delay: every latency at least 30 ms, median close to it', async () => {
    const r = await openLoop({
      port,
      path: '/delay?ms=30',
      rate: 200,
      durationS: 1.5,
      warmupS: 0.2,
      connections: 100,
    });
    assert.equal(r.counts.ok, 300);
    const xs = measured(r);
    // ≥ 29: the server's timer runs on its loop's millisecond clock and may fire up to 1 ms early.
    assert.ok(Math.min(...xs) >= 29, `min ${Math.min(...xs)}`);
    assert.ok(median(xs) < 60, `median ${median(xs)} ms`);
  });

  test('a 300 ms server stall shows in the latency of every request it held up', async () => {
    const r0 = performance.timeOrigin;
    const run = openLoop({ port, path: '/ok', rate: 400, durationS: 2, warmupS: 0.2, connections: 256 });
    await new Promise((r) => setTimeout(r, 900));
    const c0 = r0 + performance.now();
    await fetchJson('/block?ms=300');
    const c1 = r0 + performance.now();
    const r = await run;
    assert.equal(r.counts.dropped, 0);
    // The server stalled over [s0, s0 + 300] with c0 <= s0 <= c1 - 300. A request due at t in
    // [c1 - 300, c0 + 300) reached it during the stall, so its latency is at least c0 + 300 - t.
    let held = 0;
    for (let k = 0; k < r.scheduled; k++) {
      const t = r.startEpochMs + k * 2.5;
      if (t < c1 - 300 || t >= c0 + 300) continue;
      held++;
      const latency = r.latencyMs[k] as number;
      assert.ok(latency >= c0 + 300 - t - 1, `request ${k}: ${latency} ms, held at least ${c0 + 300 - t}`);
    }
    assert.ok(held >= 20, `only ${held} requests fell in the stall window (the machine is too busy?)`);
    assert.ok(Math.max(...measured(r)) >= 250, `max ${Math.max(...measured(r))}`);
  });

  test('too few connections for a stall: iterations are dropped and counted, as k6 does', async () => {
    const run = openLoop({ port, path: '/ok', rate: 400, durationS: 2, warmupS: 0.2, connections: 8 });
    await new Promise((r) => setTimeout(r, 900));
    await fetchJson('/block?ms=300');
    const r = await run;
    // ~120 iterations fall in the stall; the 8 connections take 8 of them.
    assert.ok(
      r.counts.dropped >= 80 && r.counts.dropped <= 300,
      `${r.counts.dropped} dropped, expected ~112`,
    );
    assert.equal(r.counts.ok + r.counts.dropped, 800);
    const file = join(dir, 'dropped.json');
    await writeK6Json(file, r, 'plain', 'http://127.0.0.1/ok');
    const drops = (await readFile(file, 'utf8'))
      .split('\n')
      .filter((l) => l.includes('"metric":"dropped_iterations"'));
    assert.equal(drops.filter((l) => l.includes('"type":"Point"')).length, r.counts.dropped);
  });

  test('coordinated omission: a 300 ms stall of the generator itself is charged to the requests it delayed', async () => {
    const r0 = performance.timeOrigin;
    const run = openLoop({ port, path: '/ok', rate: 400, durationS: 2, warmupS: 0.2, connections: 256 });
    let stall = [0, 0];
    setTimeout(() => {
      const from = performance.now();
      busyWait(300);
      stall = [r0 + from, r0 + performance.now()];
    }, 900);
    const r = await run;
    assert.equal(r.counts.dropped, 0);
    // Nothing can be sent while this thread is blocked, so a request due at t inside the stall is
    // sent late by at least end - t, and its latency (from t) includes that.
    const [from, end] = stall as [number, number];
    let delayed = 0;
    for (let k = 0; k < r.scheduled; k++) {
      const t = r.startEpochMs + k * 2.5;
      if (t < from || t >= end) continue;
      delayed++;
      assert.ok(
        (r.sendLagMs[k] as number) >= end - t - 1,
        `request ${k} reported sent ${r.sendLagMs[k]} ms late`,
      );
      assert.ok((r.latencyMs[k] as number) >= end - t - 1, `request ${k}: ${r.latencyMs[k]} ms`);
    }
    assert.ok(delayed >= 110, `${delayed} requests due during the stall, expected 120`);
    // Measured from the actual send, as an uncorrected generator does, those requests look fast.
    const corrected = measured(r);
    const naive = [...r.latencyMs]
      .map((x, k) => x - (r.sendLagMs[k] as number))
      .filter((x) => !Number.isNaN(x));
    assert.ok(
      atLeast(corrected, 100) - atLeast(naive, 100) >= 55,
      'the correction adds the ~80 requests ≥ 100 ms',
    );
  });
});
