import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startOtlpReceiver } from '@meshproof-app/shared/testing/otlp-receiver';
import { createBackend } from './app.ts';
import type { BackendConfig } from './config.ts';
import { readBackendConfig } from './config.ts';

const env = { VERSION: 'v7', POD_NAME: 'backend-abc', SHUTDOWN_DELAY_MS: '0' };
const service = createBackend(readBackendConfig(env));
let base = '';
before(async () => {
  base = `http://127.0.0.1:${await service.listen(0, '127.0.0.1')}`;
});
after(() => service.shutdown());

async function json(path: string, init?: RequestInit) {
  const res = await fetch(`${base}${path}`, init);
  assert.equal(res.headers.get('x-app-version'), 'v7', `x-app-version on ${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

test('/ identifies version and pod', async () => {
  const { status, body } = await json('/');
  assert.equal(status, 200);
  assert.equal(body.version, 'v7');
  assert.equal(body.pod, 'backend-abc');
  assert.equal(body.traceId, null);
});

test('/ continues an incoming W3C traceparent', async () => {
  const { body } = await json('/', {
    headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
  });
  assert.equal(body.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
  assert.equal(body.parentSpanId, '00f067aa0ba902b7');
});

test('/api/echo returns exactly N bytes, 1024 by default', async () => {
  for (const [query, size] of [
    ['', 1024],
    ['?size=0', 0],
    ['?size=10', 10],
    ['?size=1048576', 1048576],
  ] as const) {
    const res = await fetch(`${base}/api/echo${query}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-app-version'), 'v7');
    assert.equal((await res.arrayBuffer()).byteLength, size, query);
  }
});

test('/api/echo answers each query by its own size, also right after another size or a bad one', async () => {
  for (const [query, size] of [
    ['?size=10', 10],
    ['?size=10', 10],
    ['?size=20', 20],
    ['?size=abc', 400],
    ['?size=10', 10],
    ['', 1024],
    ['?size=abc', 400],
    ['?size=abc', 400],
    ['?size=5&x=1', 5],
  ] as const) {
    const res = await fetch(`${base}/api/echo${query}`);
    const body = await res.arrayBuffer();
    if (size === 400) assert.equal(res.status, 400, query);
    else assert.deepEqual([res.status, body.byteLength], [200, size], query);
  }
});

test('bad sizes, codes and delays are 400 with a JSON message', async () => {
  for (const [path, message] of [
    ['/api/echo?size=-1', /size must be an integer from 0 to 1048576/],
    ['/api/echo?size=1048577', /size must be an integer/],
    ['/api/echo?size=abc', /size must be an integer/],
    ['/api/echo?size=1e9', /size must be an integer/],
    ['/status/abc', /code must be an integer from 200 to 599/],
    ['/status/99', /code must be an integer/],
    ['/status/600', /code must be an integer/],
    ['/status/', /code is required/],
    ['/delay/10001', /ms must be an integer from 0 to 10000/],
    ['/delay/-5', /ms must be an integer/],
    ['/delay/1.5', /ms must be an integer/],
  ] as const) {
    const { status, body } = await json(path);
    assert.equal(status, 400, path);
    assert.match(String(body.error), message, path);
  }
  // The server is still healthy after all of that.
  assert.equal((await json('/healthz')).status, 200);
});

test('/status/{code} answers with that code', async () => {
  assert.deepEqual(await json('/status/503'), { status: 503, body: { status: 503 } });
  assert.equal((await json('/status/418')).status, 418);
  const noContent = await fetch(`${base}/status/204`);
  assert.equal(noContent.status, 204);
});

test('/delay/{ms} waits at least that long', async () => {
  const started = performance.now();
  const { status, body } = await json('/delay/150');
  assert.equal(status, 200);
  assert.deepEqual(body, { delayMs: 150 });
  assert.ok(performance.now() - started >= 145);
});

test('/healthz, /readyz and /metrics', async () => {
  assert.deepEqual(await json('/healthz'), { status: 200, body: { status: 'ok' } });
  assert.deepEqual(await json('/readyz'), { status: 200, body: { ready: true } });
  await fetch(`${base}/status/502`);
  await fetch(`${base}/delay/1`);
  await fetch(`${base}/nope/${Math.random()}`);
  const res = await fetch(`${base}/metrics`);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  // The exact family and labels Flagger's built-in request-success-rate/request-duration read.
  assert.match(text, /# TYPE http_request_duration_seconds histogram/);
  assert.match(
    text,
    /http_request_duration_seconds_bucket\{method="GET",path="\/status\/\{code\}",status="502",le="0\.005"\} \d+/,
  );
  assert.match(
    text,
    /http_request_duration_seconds_count\{method="GET",path="\/delay\/\{ms\}",status="200"\} \d+/,
  );
  assert.match(text, /http_requests_total\{method="GET",path="\/api\/echo",status="400"\} \d+/);
  assert.match(text, /process_resident_memory_bytes \d+/);
  assert.match(text, /app_info\{service="backend",version="v7"\} 1/);
  // Random paths collapse into one label value: cardinality stays bounded.
  const paths = new Set(
    [...text.matchAll(/http_requests_total\{method="GET",path="([^"]*)"/g)].map((m) => m[1]),
  );
  assert.ok(
    [...paths].every((p) =>
      [
        '/',
        '/api/echo',
        '/status/{code}',
        '/delay/{ms}',
        '/healthz',
        '/readyz',
        '/metrics',
        'other',
      ].includes(p ?? ''),
    ),
    [...paths].join(),
  );
});

async function withBackend(
  extra: Record<string, string>,
  run: (base: string, config: BackendConfig) => Promise<void>,
) {
  const config = readBackendConfig({ ...env, ...extra });
  const svc = createBackend(config);
  const port = await svc.listen(0, '127.0.0.1');
  try {
    await run(`http://127.0.0.1:${port}`, config);
  } finally {
    await svc.shutdown();
  }
}

test('FAULT_ERROR_RATE=1 turns app requests into 500s but leaves probes alone', async () => {
  await withBackend({ FAULT_ERROR_RATE: '1' }, async (b) => {
    assert.equal((await fetch(`${b}/`)).status, 500);
    assert.equal((await fetch(`${b}/api/echo`)).status, 500);
    assert.equal((await fetch(`${b}/healthz`)).status, 200);
    assert.equal((await fetch(`${b}/readyz`)).status, 200);
    assert.match(
      await (await fetch(`${b}/metrics`)).text(),
      /http_requests_total\{method="GET",path="\/",status="500"\} 1/,
    );
  });
});

test('FAULT_ERROR_RATE=0.5 fails roughly half of the requests', async () => {
  await withBackend({ FAULT_ERROR_RATE: '0.5' }, async (b) => {
    const statuses = await Promise.all(
      Array.from({ length: 200 }, () => fetch(`${b}/`).then((r) => r.status)),
    );
    const errors = statuses.filter((s) => s === 500).length;
    assert.ok(errors > 60 && errors < 140, `errors=${errors}`);
  });
});

test('FAULT_DELAY_MS with FAULT_DELAY_RATE=1 slows every app request', async () => {
  await withBackend({ FAULT_DELAY_MS: '200', FAULT_DELAY_RATE: '1' }, async (b) => {
    const started = performance.now();
    assert.equal((await fetch(`${b}/api/echo?size=1`)).status, 200);
    assert.ok(performance.now() - started >= 195);
  });
});

test('spans are exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set', async () => {
  const receiver = await startOtlpReceiver();
  await withBackend({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint }, async (b) => {
    await fetch(`${b}/status/201`, {
      headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    });
  });
  await receiver.close();
  const span = receiver.spans.find((s) => s.name === 'GET /status/{code}');
  assert.ok(span, JSON.stringify(receiver.spans));
  assert.equal(span.service, 'backend');
  assert.equal(span.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
  assert.equal(span.parentSpanId, '00f067aa0ba902b7');
  assert.ok(span.attributes.some((a) => a.key === 'http.response.status_code' && a.value.intValue === '201'));
});

test('invalid fault settings are refused with the variable named', () => {
  assert.throws(() => readBackendConfig({ FAULT_ERROR_RATE: '1.5' }), /^ConfigError: FAULT_ERROR_RATE /);
  assert.throws(() => readBackendConfig({ FAULT_DELAY_MS: 'slow' }), /^ConfigError: FAULT_DELAY_MS /);
  assert.throws(() => readBackendConfig({ FAULT_DELAY_RATE: '-1' }), /^ConfigError: FAULT_DELAY_RATE /);
  assert.throws(() => readBackendConfig({ PORT: '70000' }), /^ConfigError: PORT /);
});

test('paths outside the routes are 404; the untraced identity is JSON', async () => {
  for (const path of ['/nope', '/delayed/5', '/api/echo/x', '/statuses/200']) {
    const { status, body } = await json(path);
    assert.equal(status, 404, path);
    assert.equal(body.error, `no route for ${path}`);
  }
  const res = await fetch(`${base}/`);
  assert.equal(res.headers.get('content-type'), 'application/json');
  assert.deepEqual(await res.json(), {
    service: 'backend',
    version: 'v7',
    pod: 'backend-abc',
    traceId: null,
    parentSpanId: null,
  });
});
