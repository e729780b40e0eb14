// The real entry point as a child process: config errors, signals and exit codes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH, ...env }, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, exited, out: () => stdout, err: () => stderr };
}

async function listeningPort(p: ReturnType<typeof start>): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const m = /"event":"listening","port":(\d+)/.exec(p.out());
    if (m) return Number(m[1]);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`backend did not start: ${p.err()}`);
}

test('an invalid variable stops start-up with exit code 2 and names the variable', async () => {
  for (const [name, value] of [
    ['FAULT_ERROR_RATE', 'lots'],
    ['FAULT_DELAY_MS', '-3'],
    ['FAULT_DELAY_RATE', '2'],
    ['PORT', 'http'],
  ] as const) {
    const p = start({ [name]: value });
    assert.equal(await p.exited, 2, name);
    assert.match(p.err(), new RegExp(`^backend: ${name} must be`), name);
  }
});

test('SIGTERM: the in-flight request completes, then the process exits 0', async () => {
  const p = start({ PORT: '0', VERSION: 'v1', SHUTDOWN_DELAY_MS: '200' });
  const port = await listeningPort(p);
  const slow = fetch(`http://127.0.0.1:${port}/delay/700`);
  // Signal only once the server holds the slow request (a fixed pause loses that race on a busy
  // machine): the gauge then counts it and the /metrics request reading it.
  for (let i = 0; ; i++) {
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    if (/^http_requests_in_flight 2$/m.test(metrics)) break;
    assert.ok(i < 200, `the slow request never showed as in flight:\n${metrics}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  p.child.kill('SIGTERM');
  const res = await slow;
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { delayMs: 700 });
  assert.equal(await p.exited, 0);
  assert.match(p.out(), /"event":"shutdown_started","signal":"SIGTERM","inFlight":1/);
  assert.match(p.out(), /"event":"shutdown_finished","drained":true/);
});
