// The sampler script run for real with this machine's Node 24 against a real local frontend stand-in,
// and its output read back; the container path is covered by local-run.test.ts.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readSamplerOutput, STOP_FILE, samplerCommand } from './sampler.ts';

const dir = mkdtempSync(join(tmpdir(), 'meshproof-sampler-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function runSampler(
  url: string,
  stopFile: string,
  maxMs: number,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const [, ...args] = samplerCommand({ url, calls: 4, periodMs: 20, maxMs });
  // Same argv as in the pod, with this process's node and a stop file of our own.
  const i = args.indexOf(STOP_FILE);
  args[i] = stopFile;
  return new Promise((resolve) => {
    execFile(process.execPath, args, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test('the sampler asks /api/fanout until the stop file appears; its lines become samples', async () => {
  let served = 0;
  const server = createServer((req, res) => {
    served++;
    assert.equal(req.url, '/api/fanout?n=4');
    // Every fifth answer is the frontend's 502 when every call failed; one is garbage.
    if (served === 3) return void res.end('oops');
    const body =
      served % 5 === 0
        ? { calls: 4, versions: {}, errors: 4 }
        : { calls: 4, versions: { v1: 3, v2: 1 }, errors: 0 };
    res
      .writeHead(served % 5 === 0 ? 502 : 200, { 'content-type': 'application/json' })
      .end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/fanout`;
  const stopFile = join(dir, 'stop');
  const startedAt = Date.now();
  const running = runSampler(url, stopFile, 60_000);
  // Stop once it has clearly been sampling (node's start-up under a busy test run takes a while).
  for (let i = 0; i < 400 && served < 12; i++) await new Promise((r) => setTimeout(r, 50));
  writeFileSync(stopFile, '');
  const { code, stdout } = await running;
  server.close();
  assert.equal(code, 0);
  const out = readSamplerOutput(stdout, startedAt);
  assert.equal(out.offsetMs, 0);
  assert.ok(out.answers >= 10, `answers ${out.answers}`);
  assert.equal(out.failures.length, 1);
  assert.match(out.failures[0]?.error ?? '', /HTTP 200: not JSON: oops/);
  const errors = out.samples.filter((s) => !s.ok).length;
  assert.equal(errors % 4, 0);
  assert.ok(errors >= 4);
  assert.equal(
    out.samples.filter((s) => s.version === 'v2').length * 3,
    out.samples.filter((s) => s.version === 'v1').length,
  );
  assert.ok(out.samples.every((s) => s.t >= startedAt && s.t <= Date.now()));
});

test('a refused connection is a client failure, not a backend error; bad arguments exit 2', async () => {
  const free = createServer();
  await new Promise<void>((r) => free.listen(0, '127.0.0.1', r));
  const port = (free.address() as AddressInfo).port;
  free.close();
  const { stdout } = await runSampler(`http://127.0.0.1:${port}/api/fanout`, join(dir, 'never'), 300);
  const out = readSamplerOutput(stdout, Date.now() - 1000);
  assert.equal(out.samples.length, 0);
  assert.ok(out.failures.length > 0);
  assert.match(out.failures[0]?.error ?? '', /ECONNREFUSED/);
  const bad = await runSampler('ftp://x', join(dir, 'never'), 300);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /usage:/);
});

test('clock offset: a container clock behind the runner is corrected, exec latency is not', () => {
  const line = (o: object) => `${JSON.stringify(o)}\n`;
  const body = JSON.stringify({ calls: 1, versions: { v1: 1 }, errors: 0 });
  const behind = readSamplerOutput(line({ start: 1000 }) + line({ t: 1100, status: 200, body }), 4000);
  assert.equal(behind.samples[0]?.t, 4100);
  const latency = readSamplerOutput(line({ start: 5000 }) + line({ t: 5100, status: 200, body }), 4000);
  assert.equal(latency.samples[0]?.t, 5100);
  const ahead = readSamplerOutput(line({ start: 60_000 }) + line({ t: 60_100, status: 200, body }), 4000);
  assert.equal(ahead.samples[0]?.t, 4100);
  assert.throws(() => readSamplerOutput('{"t":1,\n', 0), /line 1 is not JSON/);
});
