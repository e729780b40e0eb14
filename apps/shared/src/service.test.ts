import assert from 'node:assert/strict';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { Agent, get, request as httpRequest } from 'node:http';
import { afterEach, test } from 'node:test';
import { sendJson } from './http.ts';
import { createRegistry } from './metrics.ts';
import type { Exporter } from './otlp.ts';
import { createOtlpExporter } from './otlp.ts';
import type { Route, Service } from './service.ts';
import { createService } from './service.ts';
import { startOtlpReceiver } from './testing/otlp-receiver.ts';

// What a test opened is closed after it, also when it failed half-way: otherwise an open server keeps
// the file's process alive (a mutation run would wait for its timeout instead of a quick kill).
const cleanups: (() => unknown)[] = [];
// Responses of /held requests, answered when a test says so.
const held: ServerResponse[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});
function closeAfterTest(service: Service): Service {
  cleanups.push(() => {
    for (const res of held.splice(0)) res.destroy();
    service.server.closeAllConnections();
    if (service.server.listening) service.server.close();
  });
  return service;
}

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
  return closeAfterTest(
    createService({
      serviceName: 'test',
      version: 'v9',
      router: (p) => (p === '/slow' ? { route: slow, param: '' } : undefined),
      registry: createRegistry(),
      shutdownDelayMs,
      drainTimeoutMs,
    }),
  );
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
  assert.deepEqual(await post.json(), { error: 'only GET and HEAD are allowed' });
  assert.deepEqual(await fetchStatus(`${base}/healthz`), { status: 200, body: '{"status":"ok"}' });
  const metrics = await (await fetch(`${base}/metrics`)).text();
  assert.match(metrics, /http_requests_total\{method="GET",path="other",status="404"\} 1/);
  assert.match(metrics, /http_requests_total\{method="POST",path="\/slow",status="405"\} 1/);
  await service.shutdown();
});

const WAIT_MS = 100;

// A service with routes that misbehave on purpose, for the error, abort and drain paths.
function trickyService(opts: { exporter?: Exporter; shutdownDelayMs?: number; alwaysTrace?: boolean } = {}) {
  // Answers with what the service handed the handler.
  const ctxRoute: Route = {
    template: '/ctx/{id}',
    handler: (_req, res, ctx) =>
      sendJson(res, 200, { query: ctx.query, param: ctx.param, traceId: ctx.trace?.traceId ?? null }),
  };
  const routes: Record<string, Route> = {
    '/ok': { template: '/ok', handler: (_req, res) => sendJson(res, 200, { ok: true }) },
    '/fail': { template: '/fail', handler: (_req, res) => sendJson(res, 503, { ok: false }) },
    '/throw': {
      template: '/throw',
      handler: () => {
        throw new Error(`boom ${'x'.repeat(300)}`);
      },
    },
    '/reject': { template: '/reject', handler: async () => Promise.reject(new Error('async boom')) },
    '/late': {
      template: '/late',
      handler: (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('partial');
        throw new Error('after the headers');
      },
    },
    '/hang': { template: '/hang', handler: () => undefined },
    '/held': { template: '/held', handler: (_req, res) => void held.push(res) },
    '/wait': {
      template: '/wait',
      handler: (_req, res) => void setTimeout(() => sendJson(res, 200, { waited: WAIT_MS }), WAIT_MS),
    },
  };
  return closeAfterTest(
    createService({
      serviceName: 'tricky',
      version: 'v3',
      router: (p) =>
        p.startsWith('/ctx/')
          ? { route: ctxRoute, param: p.slice(5) }
          : routes[p]
            ? { route: routes[p], param: '' }
            : undefined,
      registry: createRegistry(),
      exporter: opts.exporter,
      alwaysTrace: opts.alwaysTrace,
      shutdownDelayMs: opts.shutdownDelayMs ?? 0,
      drainTimeoutMs: 500,
    }),
  );
}

function request(
  url: string,
  init: { method?: string; agent?: Agent | false; headers?: Record<string, string> | string[] } = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    // A raw (array) header list gets no Host header from Node: add it, as HTTP/1.1 requires one.
    const headers = Array.isArray(init.headers)
      ? ['Host', 'localhost', ...init.headers]
      : (init.headers ?? {});
    const options = { method: init.method ?? 'GET', agent: init.agent ?? false, headers };
    const req = httpRequest(url, options, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

// A tricky service exporting its spans to a receiver of our own; shutting the service down flushes them.
async function exportingService() {
  const receiver = await startOtlpReceiver();
  cleanups.push(() => receiver.close());
  const exporter = createOtlpExporter({
    url: new URL(`${receiver.endpoint}/v1/traces`),
    serviceName: 'tricky',
    serviceVersion: 'v3',
  });
  const service = trickyService({ exporter });
  return { receiver, service, base: `http://127.0.0.1:${await service.listen(0, '127.0.0.1')}` };
}

const metricLines = async (base: string) => (await request(`${base}/metrics`)).body.split('\n');

test('/metrics: the RED families with the buckets the canary p99 query reads', async () => {
  const service = trickyService();
  const base = `http://127.0.0.1:${await service.listen(0, '127.0.0.1')}`;
  await request(`${base}/ok`);
  await request(`${base}/fail`);
  const res = await request(`${base}/metrics`);
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
  const lines = res.body.split('\n');
  for (const [name, type] of [
    ['http_request_duration_seconds', 'histogram'],
    ['http_requests_total', 'counter'],
    ['http_requests_in_flight', 'gauge'],
    ['app_info', 'gauge'],
  ]) {
    assert.ok(lines.includes(`# TYPE ${name} ${type}`), `${name} ${type}`);
    assert.ok(
      lines.some((l) => l.startsWith(`# HELP ${name} `) && l.length > `# HELP ${name} `.length),
      `${name} has help`,
    );
  }
  // Flagger's latency template takes histogram_quantile over these `le` bounds (seconds).
  const bounds = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];
  const series = 'method="GET",path="/fail",status="503"';
  const buckets = lines.filter((l) => l.startsWith(`http_request_duration_seconds_bucket{${series},`));
  assert.deepEqual(
    buckets.map((l) => /le="([^"]+)"/.exec(l)?.[1]),
    bounds,
  );
  const counts = buckets.map((l) => Number(l.split(' ')[1]));
  assert.ok(
    counts.every((c, i) => i === 0 || c >= (counts[i - 1] as number)),
    'cumulative',
  );
  assert.equal(counts.at(-1), 1);
  assert.ok(lines.includes(`http_request_duration_seconds_count{${series}} 1`));
  assert.ok(
    lines.some((l) => new RegExp(`^http_request_duration_seconds_sum\\{${series}\\} [0-9.e-]+$`).test(l)),
  );
  assert.ok(lines.includes('http_requests_total{method="GET",path="/ok",status="200"} 1'));
  // The scrape itself is the one request in flight while /metrics renders.
  assert.ok(lines.includes('http_requests_in_flight 1'));
  assert.ok(lines.includes('app_info{service="tricky",version="v3"} 1'));
  await service.shutdown();
});

test('handler errors: 500 with a short detail; after the headers went out, the connection is cut', async () => {
  const service = trickyService();
  const base = `http://127.0.0.1:${await service.listen(0, '127.0.0.1')}`;
  const thrown = await request(`${base}/throw`);
  assert.equal(thrown.status, 500);
  const body = JSON.parse(thrown.body) as { error: string; detail: string };
  assert.equal(body.error, 'internal error');
  assert.match(body.detail, /^Error: boom x+$/);
  assert.equal(body.detail.length, 200);
  const rejected = await request(`${base}/reject`);
  assert.equal(rejected.status, 500);
  assert.deepEqual(JSON.parse(rejected.body), { error: 'internal error', detail: 'Error: async boom' });
  await assert.rejects(request(`${base}/late`), /aborted|socket hang up|ECONNRESET/);
  const lines = await metricLines(base);
  assert.ok(lines.includes('http_requests_total{method="GET",path="/throw",status="500"} 1'));
  assert.ok(lines.includes('http_requests_total{method="GET",path="/reject",status="500"} 1'));
  assert.ok(lines.includes('http_requests_total{method="GET",path="/late",status="499"} 1'));
  await service.shutdown();
});

test('a client that leaves before the answer is counted as 499; unknown methods as OTHER', async () => {
  const service = trickyService();
  const base = `http://127.0.0.1:${await service.listen(0, '127.0.0.1')}`;
  const controller = new AbortController();
  const left = fetch(`${base}/hang`, { signal: controller.signal }).catch((err: Error) => err);
  await until(() => service.inFlight() === 1, 'the request to reach the handler');
  controller.abort();
  assert.ok((await left) instanceof Error);
  await until(() => service.inFlight() === 0, 'the server to see the client leave');
  const propfind = await request(`${base}/ok`, { method: 'PROPFIND' });
  assert.equal(propfind.status, 405);
  const lines = await metricLines(base);
  assert.ok(lines.includes('http_requests_total{method="GET",path="/hang",status="499"} 1'));
  assert.ok(lines.includes('http_requests_total{method="OTHER",path="/ok",status="405"} 1'));
  await service.shutdown();
});

test('draining: responses close their connection, new connections are refused, in-flight work finishes', async () => {
  const service = slowService(400, 10_000, 3000);
  const port = await service.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${port}`;
  const agent = new Agent({ keepAlive: true });
  assert.equal((await request(`${base}/healthz`, { agent })).headers.connection, 'keep-alive');
  const inFlight = fetchStatus(`${base}/slow`);
  await until(() => service.inFlight() === 1, 'the slow request to reach the handler');
  const done = service.shutdown();
  // Still listening during the shutdown delay, but telling keep-alive clients to go elsewhere.
  assert.equal((await request(`${base}/healthz`, { agent })).headers.connection, 'close');
  await until(() => !service.server.listening, 'the listener to close');
  assert.equal(service.inFlight(), 1, 'the slow request is still being served');
  await assert.rejects(fetchStatus(`${base}/healthz`), /ECONNREFUSED/);
  assert.deepEqual(await inFlight, { status: 200, body: '{"done":true}' });
  assert.equal(await done, true);
  assert.equal(await service.shutdown(), true, 'a second call returns the same outcome');
  agent.destroy();
});

test('an idle service drains at once; readiness only after listen', async () => {
  const service = slowService(0, 60_000, 1);
  assert.equal(service.isReady(), false);
  await service.listen(0, '127.0.0.1');
  assert.equal(service.isReady(), true);
  const started = Date.now();
  assert.equal(await service.shutdown(), true);
  // Nothing in flight: no waiting for the 60 s drain timeout.
  assert.ok(Date.now() - started < 30_000);
  // Idle connections outlive common proxies' idle timeouts, so the proxy closes them, not the app.
  assert.ok(service.server.keepAliveTimeout >= 60_000);
  assert.ok(service.server.headersTimeout > service.server.keepAliveTimeout);
  assert.ok(service.server.requestTimeout >= 60_000);
});

test('server spans: one per sampled request, named by route, status attribute, 5xx marked as error', async () => {
  const { receiver, service, base } = await exportingService();
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const sampled = `00-${traceId}-00f067aa0ba902b7-01`;
  await fetch(`${base}/ok`, { headers: { traceparent: sampled } });
  await fetch(`${base}/fail`, { headers: { traceparent: sampled } });
  await fetch(`${base}/ok`, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-00` } });
  // The exporter is flushed by the shutdown.
  await service.shutdown();
  await receiver.close();
  const spans = receiver.spans.filter((s) => s.traceId === traceId);
  assert.deepEqual(spans.map((s) => s.name).sort(), ['GET /fail', 'GET /ok']);
  for (const span of spans) {
    const status = span.name === 'GET /fail' ? '503' : '200';
    assert.equal(span.kind, 2);
    assert.equal(span.parentSpanId, '00f067aa0ba902b7');
    assert.deepEqual(
      span.attributes.map((a) => [a.key, Object.values(a.value)[0]]),
      [
        ['http.request.method', 'GET'],
        ['http.route', span.name.slice(4)],
        ['http.response.status_code', status],
      ],
    );
    assert.equal(span.status.code, status === '503' ? 2 : 0);
    assert.ok(BigInt(span.endTimeUnixNano) >= BigInt(span.startTimeUnixNano));
  }
});

test('the path picks the route; query and route parameter reach the handler; HEAD is served', async () => {
  const service = trickyService();
  const base = `http://127.0.0.1:${await service.listen(0, '127.0.0.1')}`;
  const ctx = async (path: string) => JSON.parse((await request(`${base}${path}`)).body) as unknown;
  assert.deepEqual(await ctx('/ctx/abc?x=1&y=2'), { query: 'x=1&y=2', param: 'abc', traceId: null });
  assert.deepEqual(await ctx('/ctx/abc'), { query: '', param: 'abc', traceId: null });
  assert.equal((await request(`${base}/healthz?probe=1`)).status, 200);
  assert.equal((await request(`${base}/ok`, { method: 'HEAD' })).status, 200);
  const missing = await request(`${base}/${'a'.repeat(300)}?q=1`);
  assert.equal(missing.status, 404);
  assert.deepEqual(JSON.parse(missing.body), { error: `no route for /${'a'.repeat(99)}` });
  const lines = await metricLines(base);
  assert.ok(lines.includes('http_requests_total{method="GET",path="/ctx/{id}",status="200"} 2'));
  assert.ok(lines.includes('http_requests_total{method="GET",path="/healthz",status="200"} 1'));
  assert.ok(lines.includes('http_requests_total{method="HEAD",path="/ok",status="200"} 1'));
  await service.shutdown();
});

test('a repeated URL is routed once and shares one frozen context; a new URL is routed afresh', async () => {
  const asked: string[] = [];
  const seen: { ctx: object; frozen: boolean; query: string; param: string; traceId: string | null }[] = [];
  const item: Route = {
    template: '/item/{id}',
    handler: (_req, res, ctx) => {
      seen.push({ ctx, frozen: Object.isFrozen(ctx), ...ctx, traceId: ctx.trace?.traceId ?? null });
      sendJson(res, 200, { param: ctx.param, query: ctx.query });
    },
  };
  const service = closeAfterTest(
    createService({
      serviceName: 'test',
      version: 'v1',
      router: (p) => {
        asked.push(p);
        return p.startsWith('/item/') ? { route: item, param: p.slice(6) } : undefined;
      },
      registry: createRegistry(),
      shutdownDelayMs: 0,
      drainTimeoutMs: 1000,
    }),
  );
  const base = `http://127.0.0.1:${await service.listen(0, '127.0.0.1')}`;
  asked.length = 0; // whatever the service asked before its first request
  const answer = async (path: string, headers: Record<string, string> = {}) =>
    JSON.parse((await request(`${base}${path}`, { headers })).body) as unknown;
  assert.deepEqual(await answer('/item/a?x=1'), { param: 'a', query: 'x=1' });
  assert.deepEqual(await answer('/item/a?x=1'), { param: 'a', query: 'x=1' });
  assert.deepEqual(asked, ['/item/a'], 'the repeat is not routed again');
  assert.deepEqual(await answer('/item/a?x=2'), { param: 'a', query: 'x=2' });
  assert.deepEqual(await answer('/item/b?x=2'), { param: 'b', query: 'x=2' });
  assert.deepEqual(await answer('/item/a?x=1'), { param: 'a', query: 'x=1' });
  assert.equal((await request(`${base}/other?x=1`)).status, 404);
  assert.equal((await request(`${base}/other?x=1`)).status, 404);
  assert.deepEqual(await answer('/item/a?x=1'), { param: 'a', query: 'x=1' });
  assert.deepEqual(asked, ['/item/a', '/item/a', '/item/b', '/item/a', '/other', '/item/a']);
  // Untraced repeats share one frozen context; a traced request gets its own, with its trace.
  assert.equal(seen[0]?.ctx, seen[1]?.ctx);
  assert.notEqual(seen[1]?.ctx, seen[2]?.ctx);
  assert.ok(seen.every((s) => s.frozen));
  const traceId = '0af7651916cd43dd8448eb211c80319c';
  const traced = { traceparent: `00-${traceId}-b7ad6b7169203331-01` };
  assert.deepEqual(await answer('/item/a?x=1', traced), { param: 'a', query: 'x=1' });
  const last = seen.at(-1);
  assert.deepEqual(
    { query: last?.query, param: last?.param, traceId: last?.traceId, shared: last?.ctx === seen[0]?.ctx },
    { query: 'x=1', param: 'a', traceId, shared: false },
  );
  assert.equal(Object.isFrozen(seen[0]?.ctx), true);
  await service.shutdown();
});

test('traceparent: read in any letter case; a repeated header counts as none', async () => {
  const parent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  const traced = trickyService();
  const base = `http://127.0.0.1:${await traced.listen(0, '127.0.0.1')}`;
  const traceId = async (headers: string[]) =>
    (JSON.parse((await request(`${base}/ctx/t`, { headers })).body) as { traceId: string | null }).traceId;
  assert.equal(await traceId(['TraceParent', parent]), '4bf92f3577b34da6a3ce929d0e0e4736');
  assert.equal(await traceId(['x-traceparent', parent]), null);
  // Same length as traceparent, another name.
  assert.equal(await traceId(['traceparenx', parent]), null);
  assert.equal(await traceId(['traceparent', parent, 'traceparent', parent.replace('4bf9', 'aaaa')]), null);
  await traced.shutdown();
  // A service that calls others starts a trace even without an incoming one.
  const always = trickyService({ alwaysTrace: true });
  const alwaysBase = `http://127.0.0.1:${await always.listen(0, '127.0.0.1')}`;
  const body = JSON.parse((await request(`${alwaysBase}/ctx/t`)).body) as { traceId: string };
  assert.match(body.traceId, /^[0-9a-f]{32}$/);
  await always.shutdown();
});

test('http_requests_total labels each known method by name and any other as OTHER', async () => {
  const service = trickyService();
  const base = `http://127.0.0.1:${await service.listen(0, '127.0.0.1')}`;
  const known = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];
  for (const method of [...known, 'PROPFIND', 'PURGE']) {
    const res = await request(`${base}/ok`, { method });
    assert.equal(res.status, method === 'GET' || method === 'HEAD' ? 200 : 405, method);
  }
  const lines = await metricLines(base);
  const served = lines.filter((l) => l.startsWith('http_requests_total{') && l.includes('path="/ok"')).sort();
  assert.deepEqual(served, [
    'http_requests_total{method="DELETE",path="/ok",status="405"} 1',
    'http_requests_total{method="GET",path="/ok",status="200"} 1',
    'http_requests_total{method="HEAD",path="/ok",status="200"} 1',
    'http_requests_total{method="OPTIONS",path="/ok",status="405"} 1',
    'http_requests_total{method="OTHER",path="/ok",status="405"} 2',
    'http_requests_total{method="PATCH",path="/ok",status="405"} 1',
    'http_requests_total{method="POST",path="/ok",status="405"} 1',
    'http_requests_total{method="PUT",path="/ok",status="405"} 1',
  ]);
  await service.shutdown();
});

test('durations: the histogram and the span cover the handler time and no more than the client waited', async () => {
  const { receiver, service, base } = await exportingService();
  const traceId = '5bf92f3577b34da6a3ce929d0e0e4736';
  // Wall clock in ms around the request; the span's times are wall-clock too (time origin + monotonic).
  const before = Date.now();
  const waited = await request(`${base}/wait`, {
    headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
  });
  const after = Date.now();
  assert.equal(waited.status, 200);
  // A handler that throws answers 500: that span is an error too (5xx, not only above 500).
  await request(`${base}/throw`, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
  const lines = await metricLines(base);
  const series = 'method="GET",path="/wait",status="200"';
  const sum = Number(
    lines.find((l) => l.startsWith(`http_request_duration_seconds_sum{${series}} `))?.split(' ')[1],
  );
  const clientSeconds = (after - before) / 1000;
  // The server's clock stops when the response closes, just after the client read it: a little slack.
  assert.ok(sum >= (WAIT_MS - 5) / 1000 && sum <= clientSeconds + 0.5, `sum ${sum}, client ${clientSeconds}`);
  assert.ok(lines.includes(`http_request_duration_seconds_bucket{${series},le="0.05"} 0`));
  await service.shutdown();
  await receiver.close();
  const byName = new Map(receiver.spans.filter((s) => s.traceId === traceId).map((s) => [s.name, s]));
  const span = byName.get('GET /wait');
  assert.ok(span, 'a span for /wait');
  // Whole milliseconds; the span starts after the client sent (less rounding between the two clocks)
  // and ends about when the client read the answer (the same slack as above).
  const startMs = Number(BigInt(span.startTimeUnixNano) / 1_000_000n);
  const endMs = Number(BigInt(span.endTimeUnixNano) / 1_000_000n);
  assert.ok(
    startMs >= before - 20 && endMs <= after + 500,
    `span ${startMs}..${endMs}, client ${before}..${after}`,
  );
  assert.ok(endMs - startMs >= WAIT_MS - 5, `span lasted ${endMs - startMs} ms`);
  assert.equal(byName.get('GET /throw')?.status.code, 2, 'a 500 is an error span');
  assert.equal(span.status.code, 0);
});

test('drain waits for every in-flight request, not only the first to finish', async () => {
  const service = trickyService();
  const base = `http://127.0.0.1:${await service.listen(0, '127.0.0.1')}`;
  const first = request(`${base}/held`);
  const second = request(`${base}/held`).catch((err: Error) => err);
  await until(() => held.length === 2, 'both requests to reach the handler');
  const done = service.shutdown();
  sendJson(held[0] as ServerResponse, 200, { n: 1 });
  assert.equal((await first).status, 200);
  await until(() => service.inFlight() === 1, 'the first request to close');
  // Still one in flight: the drain must not count the service idle yet.
  await new Promise((r) => setTimeout(r, 50));
  sendJson(held[1] as ServerResponse, 200, { n: 2 });
  const answer = await second;
  assert.ok(!(answer instanceof Error), `the second request was cut off: ${String(answer)}`);
  assert.deepEqual(JSON.parse(answer.body), { n: 2 });
  assert.equal(await done, true);
});

test('a service that exports spans starts a root span for a request without traceparent', async () => {
  const { receiver, service, base } = await exportingService();
  const { traceId } = JSON.parse((await request(`${base}/ctx/root`)).body) as { traceId: string | null };
  assert.match(traceId ?? '', /^[0-9a-f]{32}$/);
  await service.shutdown();
  await receiver.close();
  const spans = receiver.spans.filter((s) => s.traceId === traceId);
  assert.deepEqual(
    spans.map((s) => [s.name, s.parentSpanId ?? '']),
    [['GET /ctx/{id}', '']],
  );
});

test('listen on a port in use rejects and the service stays not ready', async () => {
  const first = trickyService();
  const port = await first.listen(0, '127.0.0.1');
  const second = trickyService();
  await assert.rejects(second.listen(port, '127.0.0.1'), /EADDRINUSE/);
  assert.equal(second.isReady(), false);
  await first.shutdown();
});
