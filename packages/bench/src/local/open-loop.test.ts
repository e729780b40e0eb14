// The open-model generator against a server with known behaviour: the schedule it keeps, a known
// added delay, a server stall (seen in latency, or as drops when the pool is too small) and a
// stall of the generator itself (coordinated omission: seen only because latency runs from the
// intended send time). Other test suites load this 2-core machine meanwhile, so the assertions
// are bounds that scheduling noise cannot break: a stall of known start and length puts a floor
// under the latency of every request due inside it, whatever else the machine does.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { invalidReasons, parseK6Json } from '../k6/parse.ts';
import { epochMs } from './clock.ts';
import { writeK6Json } from './k6-json.ts';
import { type OpenLoopOptions, type OpenLoopResult, openLoop } from './open-loop.ts';

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

const now = () => epochMs(performance.now());
/** The server's stall on the wall clock, narrowed by 2 ms for Date.now()'s resolution on both sides. */
const serverStall = async (): Promise<[number, number]> => {
  const { from, until } = (await fetchJson('/block?ms=300')) as { from: number; until: number };
  return [from + 2, until - 2];
};
const why = (r: OpenLoopResult) => JSON.stringify({ ...r.counts, errors: [...r.errors] });
const RATE = 400;
const base = { path: '/ok', rate: RATE, durationS: 2, warmupS: 0.2, connections: 1024 };
const intendedAt = (r: OpenLoopResult, k: number) => r.startEpochMs + (k * 1000) / r.rate;
/** The measured iterations whose intended send time falls in [from, until). */
const dueDuring = (r: OpenLoopResult, [from, until]: [number, number]) =>
  Array.from({ length: r.scheduled }, (_, k) => k).filter((k) => {
    const t = intendedAt(r, k);
    return t >= from && t < until;
  });

/** Runs the generator and, 700 ms into the measured part, `stall()`, which returns [from, until] epoch ms. */
async function withStall(opts: Partial<OpenLoopOptions>, stall: () => Promise<[number, number]>) {
  let window: Promise<[number, number]> | undefined;
  const r = await openLoop({
    ...base,
    port,
    ...opts,
    onStart: (t0) => {
      window = new Promise((resolve) => setTimeout(() => resolve(stall()), t0 + 700 - now()));
    },
  });
  return { r, window: (await window) as [number, number] };
}

/**
 * withStall, repeated (3 tries at most) until `overlaps` holds: on a starved machine the stall's timer
 * can fire so late, or the generator's thread sleep through so much of it, that the stall misses the
 * schedule. Such a run proves nothing either way, so it is run again rather than judged.
 */
async function withStallOverlapping(
  opts: Partial<OpenLoopOptions>,
  stall: () => Promise<[number, number]>,
  overlaps: (r: OpenLoopResult, window: [number, number]) => boolean,
) {
  for (let attempt = 1; ; attempt++) {
    const run = await withStall(opts, stall);
    if (overlaps(run.r, run.window) || attempt === 3) return run;
  }
}

/** Every completed latency lies between its floor and the time the run returned (no wrong origin). */
function assertWithinRun(r: OpenLoopResult, returnedAt: number) {
  for (let k = 0; k < r.scheduled; k++) {
    const latency = r.latencyMs[k] as number;
    if (Number.isNaN(latency)) continue;
    assert.ok(latency >= 0 && latency <= returnedAt - intendedAt(r, k), `request ${k}: ${latency} ms`);
  }
}

describe('open-model load generator', () => {
  test('keeps the schedule: every request sent, none early, written as k6 JSON', async () => {
    await fetchJson('/arrivals'); // reset
    const r = await openLoop({ ...base, port, warmupS: 0.25 });
    assertWithinRun(r, now());
    assert.deepEqual(r.counts, { completed: 800, ok: 800, failed: 0, dropped: 0, unfinished: 0 }, why(r));
    const arrivals = (await fetchJson('/arrivals')) as number[];
    // One priming request per connection before the clock starts, then warm-up (100) and measured (800).
    assert.equal(arrivals.length, 1024 + 900);
    arrivals.sort((x, y) => x - y).splice(0, 1024);
    // Sorted, the j-th arrival comes no earlier than the j-th intended send (3 ms: Date.now()'s
    // millisecond steps on both sides).
    const intended = Array.from({ length: 900 }, (_, j) => r.startEpochMs + (j - 100) * 2.5);
    const early = arrivals.filter((t, j) => t < (intended[j] as number) - 3);
    assert.equal(early.length, 0, `${early.length} requests reached the server before they were due`);
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
    assert.deepEqual(lines[0], {
      type: 'Metric',
      data: { name: 'http_req_duration', type: 'trend', contains: 'time', thresholds: [], submetrics: null },
      metric: 'http_req_duration',
    });
    const durations = lines.filter(
      (l) => l.metric === 'http_req_duration' && l.data.tags?.scenario === 'plain',
    );
    // Intended send times are exactly 1/rate apart (to the microsecond the timestamps carry).
    const t0 = Date.parse(durations[0].data.time);
    const t799 = Date.parse(durations[799].data.time);
    assert.ok(Math.abs(t799 - t0 - 799 * 2.5) <= 1, `${t799 - t0} ms between first and last`);
    // The k6 parser reads it as a valid run of 800 measured and 100 warm-up requests.
    const parsed = await parseK6Json(file);
    assert.equal(parsed.count, 800);
    assert.equal(parsed.warmupCount, 100);
    assert.deepEqual(invalidReasons(parsed), []);
    assert.deepEqual(parsed.target, { scenario: 'plain', method: 'GET', name: 'http://127.0.0.1/ok' });
  });

  test('a known 30 ms server delay is in every latency', async () => {
    const r = await openLoop({ ...base, port, path: '/delay?ms=30', rate: 200, durationS: 1.5 });
    assertWithinRun(r, now());
    assert.deepEqual(r.counts, { completed: 300, ok: 300, failed: 0, dropped: 0, unfinished: 0 }, why(r));
    // Even after taking out the generator's own lateness (29: the server's timer may fire 1 ms early).
    for (let k = 0; k < 300; k++) {
      const service = (r.latencyMs[k] as number) - (r.sendLagMs[k] as number);
      assert.ok(service >= 29, `request ${k}: ${service} ms after it was sent`);
    }
  });

  test('a 300 ms server stall shows in the latency of every request it held up', async () => {
    const { r, window } = await withStallOverlapping(
      {},
      serverStall,
      (r, w) => dueDuring(r, w).length >= 100,
    );
    assertWithinRun(r, now());
    assert.equal(r.counts.dropped, 0, why(r));
    // A request due at t inside the stall cannot be answered before it ends.
    const until = window[1];
    const held = dueDuring(r, window);
    for (const k of held) {
      const t = intendedAt(r, k);
      const latency = r.latencyMs[k] as number;
      assert.ok(latency >= until - t, `request ${k}: ${latency} ms, held at least ${until - t}`);
    }
    assert.ok(held.length >= 100, `${held.length} requests were due during the stall, expected ~119`);
  });

  test('too few connections for a stall: iterations are dropped and counted, as k6 does', async () => {
    const inStall = (r: OpenLoopResult, [from, until]: [number, number]) => {
      let handled = 0;
      let sent = 0;
      for (let k = 0; k < r.scheduled; k++) {
        const at = intendedAt(r, k) + (r.sendLagMs[k] as number);
        if (at < from || at >= until) continue;
        handled++;
        if (!r.dropped[k]) sent++;
      }
      return { handled, sent };
    };
    const { r, window } = await withStallOverlapping(
      { connections: 8 },
      serverStall,
      (r, w) => inStall(r, w).handled >= 50,
    );
    // While the server is stopped its 8 connections fill up and stay busy: past those 8, every
    // iteration the generator handles inside the stall is dropped.
    const { handled: handledInStall, sent: sentInStall } = inStall(r, window);
    assert.ok(sentInStall <= 8, `${sentInStall} requests sent during the stall on 8 connections`);
    assert.ok(
      handledInStall >= 50,
      `the generator handled only ${handledInStall} iterations during the stall`,
    );
    assert.ok(r.counts.dropped >= handledInStall - 8, why(r));
    assert.equal(r.counts.ok + r.counts.dropped, 800, why(r));
    // Written as k6 JSON, the run is invalid for its dropped iterations, as a k6 run would be.
    const file = join(dir, 'dropped.json');
    await writeK6Json(file, r, 'plain', 'http://127.0.0.1/ok');
    const parsed = await parseK6Json(file);
    assert.equal(parsed.droppedIterations, r.counts.dropped + r.warmup.dropped.reduce((a, b) => a + b, 0));
    assert.equal(parsed.count, r.counts.ok);
    assert.match(invalidReasons(parsed).join(), /dropped iterations/);
  });

  test('coordinated omission: a 300 ms stall of the generator itself is charged to the requests it delayed', async () => {
    // The stall must fall inside the 2 s schedule, or no request was due during it.
    const { r, window } = await withStallOverlapping(
      {},
      async () => {
        const from = now();
        while (now() < from + 300) {} // this thread, the generator's, stops
        return [from, now()];
      },
      (r, [from, until]) => from >= r.startEpochMs && until <= intendedAt(r, r.scheduled - 1),
    );
    assertWithinRun(r, now());
    assert.equal(r.counts.dropped, 0, why(r));
    // Nothing can be sent while this thread is blocked, so a request due at t inside the stall is
    // sent at least until − t late, and its latency (from t) includes that; timed from the actual
    // send, as an uncorrected generator times it, that wait would vanish from the results.
    const until = window[1];
    const delayed = dueDuring(r, window);
    for (const k of delayed) {
      const t = intendedAt(r, k);
      assert.ok(
        (r.sendLagMs[k] as number) >= until - t - 0.01,
        `request ${k} reported ${r.sendLagMs[k]} ms late`,
      );
      assert.ok((r.latencyMs[k] as number) >= until - t - 0.01, `request ${k}: ${r.latencyMs[k]} ms`);
    }
    assert.ok(delayed.length >= 110, `${delayed.length} requests were due during the stall, expected ~120`);
  });
});
