import assert from 'node:assert/strict';
import { get } from 'node:http';
import { test } from 'node:test';
import { sendJson } from './http.ts';
import { createRegistry } from './metrics.ts';
import type { Route } from './service.ts';
import { createService } from './service.ts';

// Plain http.get without an agent, so no pooled connection outlives a test.
function fetchStatus(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

// Waits for a condition with a deadline instead of a fixed sleep: on a starved machine the request may
// take far longer than any fixed pause to reach the handler.
async function until(cond: () => boolean, what: string, deadlineMs = 10_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function slowService(shutdownDelayMs: number, drainTimeoutMs: number, workMs: number) {
  const slow: Route = {
    template: '/slow',
    handler: (_req, res) => void setTimeout(() => sendJson(res, 200, { done: true }), workMs),
  };
  return createService({
    serviceName: 'test',
    version: 'v9',
    router: (p) => (p === '/slow' ? { route: slow, param: '' } : undefined),
    registry: createRegistry(),
    shutdownDelayMs,
    drainTimeoutMs,
  });
}

test('shutdown: readiness turns false first, in-flight requests finish, then the listener stops', async () => {
  const service = slowService(300, 5000, 600);
  const port = await service.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${port}`;
  assert.equal((await fetchStatus(`${base}/readyz`)).status, 200);
  const inFlight = fetchStatus(`${base}/slow`);
  await until(() => service.inFlight() === 1, 'the slow request to reach the handler');

  const done = service.shutdown();
  assert.equal(service.isReady(), false);
  // During the shutdown delay the listener still serves, but reports not ready.
  const readiness = await fetchStatus(`${base}/readyz`);
  assert.equal(readiness.status, 503);
  assert.deepEqual(JSON.parse(readiness.body), { ready: false });

  assert.deepEqual(await inFlight, { status: 200, body: '{"done":true}' });
  assert.equal(await done, true);
  await assert.rejects(fetchStatus(`${base}/healthz`), /ECONNREFUSED/);
});

test('shutdown gives up after the drain timeout and reports it', async () => {
  const workMs = 3000;
  const service = slowService(0, 200, workMs);
  const port = await service.listen(0, '127.0.0.1');
  const stuck = fetchStatus(`http://127.0.0.1:${port}/slow`).catch((err: Error) => err);
  // The request must be in flight before shutdown starts, or there is nothing to give up on.
  await until(() => service.inFlight() === 1, 'the slow request to reach the handler');
  const started = Date.now();
  assert.equal(await service.shutdown(), false);
  // Bounded: shutdown returned before the stuck handler's work could have finished (waiting for it
  // would have meant >= workMs and a drained result), whatever the machine's load did to timers.
  assert.ok(Date.now() - started < workMs, 'drain must be bounded');
  assert.ok((await stuck) instanceof Error, 'the stuck request is cut off');
});

test('unknown paths are 404, other methods 405, and every response carries x-app-version', async () => {
  const service = slowService(0, 1000, 1);
  const port = await service.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${port}`;
  const missing = await fetch(`${base}/nope`);
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.get('x-app-version'), 'v9');
  const post = await fetch(`${base}/slow`, { method: 'POST', body: 'x' });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get('allow'), 'GET, HEAD');
  const metrics = await (await fetch(`${base}/metrics`)).text();
  assert.match(metrics, /http_requests_total\{method="GET",path="other",status="404"\} 1/);
  assert.match(metrics, /http_requests_total\{method="POST",path="\/slow",status="405"\} 1/);
  await service.shutdown();
});
