// The instruction-count bench's parts: callgrind dumps read per thread, exactly N requests sent and
// each answer judged, and the command refusing bad flags and a machine without valgrind. (A counted
// run starts three Node processes under valgrind: minutes, so it is a bench, not a test.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseSummary, readDump } from './callgrind.ts';
import { sendRequests } from './requests.ts';

// The head and tail of a callgrind 3.19 dump (figures changed, layout kept).
const dump = (ir: number) =>
  `# callgrind format\nversion: 1\ncreator: callgrind-3.19.0\npid: 4242\ncmd:  node main.ts\npart: 1\n\n` +
  `desc: I1 cache: \ndesc: D1 cache: \ndesc: LL cache: \n\ndesc: Timerange: Basic block 0 - 1\n` +
  `desc: Trigger: dump\n\npositions: line\nevents: Ir\nsummary: ${ir}\n\n\nob=(1) node\nfn=(1) main\n0 ${ir}\n\n` +
  `totals: ${ir}\n`;

test('a dump: its summary is what it counted; a file without one is refused', () => {
  assert.equal(parseSummary(dump(671644137)), 671644137);
  assert.throws(() => parseSummary('events: Ir\ntotals: 5\n'), /without a summary line/);
});

test('a dump part: the main thread is thread 01, all threads add up, other parts and pids are left out', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshproof-cg-test-'));
  try {
    writeFileSync(join(dir, 'callgrind.out.4242.1-01'), dump(300));
    writeFileSync(join(dir, 'callgrind.out.4242.1-02'), dump(50));
    writeFileSync(join(dir, 'callgrind.out.4242.1-03'), dump(7));
    writeFileSync(join(dir, 'callgrind.out.4242.2-01'), dump(9000)); // the dump at exit
    writeFileSync(join(dir, 'callgrind.out.4243.1-01'), dump(8000)); // another server
    assert.deepEqual(readDump(dir, 4242, 1), { main: 300, all: 357, threads: 3 });
    assert.throws(() => readDump(dir, 4242, 3), /no callgrind dump callgrind\.out\.4242\.3-/);
    writeFileSync(join(dir, 'callgrind.out.4244.1-02'), dump(1));
    assert.throws(() => readDump(dir, 4244, 1), /no main-thread dump/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('exactly N requests, each 200 counted as ok and anything else as failed', async () => {
  let served = 0;
  const server = createServer((req, res) => {
    served++;
    res.writeHead(req.url === '/bad' ? 503 : 200).end('x');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    assert.deepEqual(await sendRequests(new URL(`${base}/ok`), 37, 5), {
      ok: 37,
      failed: 0,
      firstError: undefined,
    });
    assert.equal(served, 37);
    assert.deepEqual(await sendRequests(new URL(`${base}/bad`), 3, 8), {
      ok: 0,
      failed: 3,
      firstError: 'status 503',
    });
    assert.equal(served, 40);
  } finally {
    server.closeAllConnections();
    server.close();
  }
  const gone = await sendRequests(new URL('http://127.0.0.1:1/'), 2, 1);
  assert.equal(gone.failed, 2);
  assert.match(gone.firstError ?? '', /ECONNREFUSED/);
});

const script = fileURLToPath(new URL('./instructions.ts', import.meta.url));
const run = (args: string[], env: Record<string, string | undefined> = process.env) =>
  spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', env, timeout: 30_000 });

test('bench:instructions refuses bad flags and a machine without valgrind, with exit 2', () => {
  for (const [args, message] of [
    [['--warmup', '5'], /--warmup must be an integer from 100 to 1000000, got "5"/],
    [['--requests', 'many'], /--requests must be an integer/],
    [['--concurrency', '0'], /--concurrency must be an integer from 1 to 256/],
    [['--threads', '2'], /Unknown option '--threads'/],
  ] as const) {
    const r = run([...args]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, message);
  }
  // Only Node's own folder on PATH: no valgrind there.
  const r = run([], { PATH: dirname(process.execPath) });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /valgrind \(with callgrind_control\) is not installed/);
});
