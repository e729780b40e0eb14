// RED series when requests in a row share some labels: the service reuses the last series it
// recorded into, which must never hand one request another request's labels.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sendJson } from './http.ts';
import { createRegistry } from './metrics.ts';
import type { Route } from './service.ts';
import { createService } from './service.ts';

test('requests in a row that differ only in status, method or route each count in their own series', async () => {
  const code: Route = {
    template: '/code/{n}',
    handler: (_req, res, ctx) => sendJson(res, Number(ctx.param), { code: ctx.param }),
  };
  const other: Route = { template: '/other', handler: (_req, res) => sendJson(res, 200, {}) };
  const service = createService({
    serviceName: 'series',
    version: 'v1',
    router: (p) =>
      p.startsWith('/code/')
        ? { route: code, param: p.slice(6) }
        : p === '/other'
          ? { route: other, param: '' }
          : undefined,
    registry: createRegistry(),
    shutdownDelayMs: 0,
    drainTimeoutMs: 1000,
  });
  const base = `http://127.0.0.1:${await service.listen(0, '127.0.0.1')}`;
  try {
    // One at a time, so each close records right after the one before.
    for (const [path, method] of [
      ['/code/200', 'GET'],
      ['/code/503', 'GET'],
      ['/code/503', 'GET'],
      ['/code/200', 'HEAD'],
      ['/code/200', 'GET'],
      ['/other', 'GET'],
      ['/code/200', 'GET'],
    ] as const) {
      await (await fetch(`${base}${path}`, { method })).arrayBuffer();
    }
    const lines = (await (await fetch(`${base}/metrics`)).text())
      .split('\n')
      .filter((l) => l.startsWith('http_requests_total{') && !l.includes('/metrics'))
      .sort();
    assert.deepEqual(lines, [
      'http_requests_total{method="GET",path="/code/{n}",status="200"} 3',
      'http_requests_total{method="GET",path="/code/{n}",status="503"} 2',
      'http_requests_total{method="GET",path="/other",status="200"} 1',
      'http_requests_total{method="HEAD",path="/code/{n}",status="200"} 1',
    ]);
  } finally {
    await service.shutdown();
  }
});
