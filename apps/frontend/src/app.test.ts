import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createBackend } from '@meshproof-app/backend/app';
import { readBackendConfig } from '@meshproof-app/backend/config';
import type { Service } from '@meshproof-app/shared/service';
import { startOtlpReceiver } from '@meshproof-app/shared/testing/otlp-receiver';
import { createFrontend } from './app.ts';
import { readFrontendConfig } from './config.ts';
import type { FanoutResult } from './fanout.ts';

// Two real backends, v1 and v2, on ephemeral ports.
const backends: Service[] = [];
const urls: string[] = [];
before(async () => {
  for (const version of ['v1', 'v2']) {
    const svc = createBackend(
      readBackendConfig({ VERSION: version, POD_NAME: `backend-${version}`, SHUTDOWN_DELAY_MS: '0' }),
    );
    urls.push(`http://127.0.0.1:${await svc.listen(0, '127.0.0.1')}`);
    backends.push(svc);
  }
});
after(() => Promise.all(backends.map((b) => b.shutdown())));

async function withFrontend(env: Record<string, string>, run: (base: string) => Promise<void>) {
  // A generous backend timeout unless a test sets one: on a starved machine the default 2 s can pass
  // before a live backend answers, and the call would count as an error.
  const svc = createFrontend(
    readFrontendConfig({ VERSION: 'f1', SHUTDOWN_DELAY_MS: '0', BACKEND_TIMEOUT_MS: '30000', ...env }),
  );
  const port = await svc.listen(0, '127.0.0.1');
  try {
    await run(`http://127.0.0.1:${port}`);
  } finally {
    await svc.shutdown();
  }
}

test('/api/fanout counts the versions that answered', async () => {
  await withFrontend({ BACKEND_URL: urls.join(',') }, async (base) => {
    const res = await fetch(`${base}/api/fanout?n=10`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-app-version'), 'f1');
    const body = await res.json();
    assert.deepEqual(body, {
      calls: 10,
      versions: { v1: 5, v2: 5 },
      pods: { 'backend-v1': 5, 'backend-v2': 5 },
      errors: 0,
    });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /backend_calls_total\{outcome="ok"\} 10/);
    assert.match(
      metrics,
      /http_request_duration_seconds_count\{method="GET",path="\/api\/fanout",status="200"\} 1/,
    );
  });
});

test('/api/fanout counts the errors a backend answered by the version it named', async () => {
  const faulty = createBackend(
    readBackendConfig({
      VERSION: 'v3',
      FAULT_ERROR_RATE: '1',
      POD_NAME: 'backend-v3',
      SHUTDOWN_DELAY_MS: '0',
    }),
  );
  const faultyUrl = `http://127.0.0.1:${await faulty.listen(0, '127.0.0.1')}`;
  try {
    await withFrontend({ BACKEND_URL: `${urls[0]},${faultyUrl},http://127.0.0.1:9` }, async (base) => {
      const body = (await (await fetch(`${base}/api/fanout?n=9`)).json()) as FanoutResult;
      // Three calls each: v1 answers, v3 answers 500, port 9 refuses (no version to name).
      assert.equal(body.errors, 6);
      assert.deepEqual(body.versions, { v1: 3 });
      assert.deepEqual(body.errorVersions, { v3: 3 });
    });
  } finally {
    await faulty.shutdown();
  }
});

test('/api/fanout rejects bad n with 400', async () => {
  await withFrontend({ BACKEND_URL: urls[0] as string }, async (base) => {
    for (const n of ['0', '101', 'many', '-1', '2.5']) {
      const res = await fetch(`${base}/api/fanout?n=${n}`);
      assert.equal(res.status, 400, n);
      assert.match(((await res.json()) as { error: string }).error, /n must be an integer from 1 to 100/);
    }
  });
});

test('the trace context reaches the backend as a child of the frontend span', async () => {
  const receiver = await startOtlpReceiver();
  await withFrontend(
    { BACKEND_URL: urls[0] as string, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint },
    async (base) => {
      const res = await fetch(`${base}/api/fanout?n=2`, {
        headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
      });
      assert.equal(res.status, 200);
    },
  );
  await receiver.close();
  const server = receiver.spans.find((s) => s.kind === 2);
  const clients = receiver.spans.filter((s) => s.kind === 3);
  assert.ok(server, JSON.stringify(receiver.spans));
  assert.equal(server.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
  assert.equal(server.parentSpanId, '00f067aa0ba902b7');
  assert.equal(clients.length, 2);
  for (const c of clients) {
    assert.equal(c.traceId, server.traceId);
    assert.equal(c.parentSpanId, server.spanId);
  }
});

test('one live and one dead backend: 200 with the failed calls counted in the body and metrics', async () => {
  const dead = 'http://127.0.0.1:9';
  await withFrontend({ BACKEND_URL: `${urls[0]},${dead}`, BACKEND_TIMEOUT_MS: '500' }, async (base) => {
    const res = await fetch(`${base}/api/fanout?n=4`);
    // Some calls succeeded, so the frontend did its job: only all calls failing is a 502.
    assert.equal(res.status, 200);
    const body = (await res.json()) as FanoutResult;
    assert.equal(body.calls, 4);
    assert.equal(body.errors, 2);
    assert.deepEqual(body.versions, { v1: 2 });
    assert.match(body.firstError ?? '', /ECONNREFUSED/);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /backend_calls_total\{outcome="error"\} 2\n/);
    assert.match(metrics, /backend_calls_total\{outcome="ok"\} 2\n/);
  });
});

test('all backends down: 502 with the error counted', async () => {
  await withFrontend({ BACKEND_URL: 'http://127.0.0.1:9', BACKEND_TIMEOUT_MS: '500' }, async (base) => {
    const res = await fetch(`${base}/api/fanout?n=3`);
    assert.equal(res.status, 502);
    const body = (await res.json()) as { errors: number; firstError: string };
    assert.equal(body.errors, 3);
    assert.match(body.firstError, /ECONNREFUSED/);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /backend_calls_total\{outcome="error"\} 3\n/);
    assert.equal((await fetch(`${base}/readyz`)).status, 200, 'readiness does not depend on the backend');
  });
});

test('the page and its script are served with a CSP', async () => {
  await withFrontend({ BACKEND_URL: urls[0] as string }, async (base) => {
    const page = await fetch(`${base}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.match(await page.text(), /<script src="\/app\.js"/);
    const script = await fetch(`${base}/app.js`);
    assert.match(script.headers.get('content-type') ?? '', /javascript/);
    assert.match(await script.text(), /\/api\/fanout\?n=20/);
  });
});

test('BACKEND_URL must be http URLs', () => {
  assert.throws(() => readFrontendConfig({ BACKEND_URL: 'backend:8080' }), /^ConfigError: BACKEND_URL /);
  assert.throws(() => readFrontendConfig({ BACKEND_URL: 'http://a,ftp://b' }), /^ConfigError: BACKEND_URL /);
});
