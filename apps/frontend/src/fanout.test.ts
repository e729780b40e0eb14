// What /api/fanout reports when backends misbehave: label and body sizes stay bounded however many
// versions or pods answer, and a long error is cut. The backends are real HTTP servers (the shared
// service) answering with a fresh version and pod on every call.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sendJson } from '@meshproof-app/shared/http';
import { createRegistry } from '@meshproof-app/shared/metrics';
import type { Route, Service } from '@meshproof-app/shared/service';
import { createService } from '@meshproof-app/shared/service';
import { createFrontend } from './app.ts';
import { readFrontendConfig } from './config.ts';
import type { FanoutResult } from './fanout.ts';
import { FANOUT_MAX } from './fanout.ts';

/** A backend whose every answer names a new version and pod (`status` 200, or an error status). */
async function shapeshifter(status: number): Promise<{ url: string; service: Service }> {
  let calls = 0;
  const route: Route = {
    template: '/',
    handler: (_req, res) => {
      calls++;
      res.setHeader('x-app-version', `v${calls}`);
      sendJson(res, status, { version: `v${calls}`, pod: `pod-${calls}` });
    },
  };
  const service = createService({
    serviceName: 'backend',
    version: 'unused',
    router: (p) => (p === '/' ? { route, param: '' } : undefined),
    registry: createRegistry(),
    shutdownDelayMs: 0,
    drainTimeoutMs: 1000,
  });
  return { url: `http://127.0.0.1:${await service.listen(0, '127.0.0.1')}`, service };
}

async function fanout(backendUrl: string, n: number): Promise<{ status: number; body: FanoutResult }> {
  const frontend = createFrontend(
    // The longest timeout allowed: on a starved machine 100 parallel calls can take seconds, and a
    // timed-out call would be an error without a version.
    readFrontendConfig({
      VERSION: 'f1',
      SHUTDOWN_DELAY_MS: '0',
      BACKEND_URL: backendUrl,
      BACKEND_TIMEOUT_MS: '60000',
    }),
  );
  const port = await frontend.listen(0, '127.0.0.1');
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/fanout?n=${n}`);
    return { status: res.status, body: (await res.json()) as FanoutResult };
  } finally {
    await frontend.shutdown();
  }
}

test('versions beyond the first 16 are counted as "other"; at most 64 pods are listed', async () => {
  const backend = await shapeshifter(200);
  try {
    const { status, body } = await fanout(backend.url, FANOUT_MAX);
    assert.equal(status, 200);
    assert.equal(body.errors, 0);
    const versions = Object.keys(body.versions);
    assert.equal(versions.length, 17, versions.join());
    assert.equal(body.versions.other, FANOUT_MAX - 16);
    assert.ok(versions.filter((v) => v !== 'other').every((v) => body.versions[v] === 1));
    assert.equal(Object.keys(body.pods).length, 64);
    assert.ok(Object.values(body.pods).every((count) => count === 1));
  } finally {
    await backend.service.shutdown();
  }
});

test('failing versions beyond the first 16 are counted as "other" too', async () => {
  const backend = await shapeshifter(503);
  try {
    const { status, body } = await fanout(backend.url, 40);
    assert.equal(status, 502);
    assert.equal(body.errors, 40);
    assert.deepEqual(body.versions, {});
    const versions = Object.keys(body.errorVersions ?? {});
    assert.equal(versions.length, 17, versions.join());
    assert.equal(body.errorVersions?.other, 40 - 16);
    assert.match(body.firstError ?? '', /^Error: backend answered 503$/);
  } finally {
    await backend.service.shutdown();
  }
});

test('the first error is cut to 200 characters', async () => {
  // A host name longer than DNS allows fails locally (no lookup leaves the machine) with an error
  // that quotes the whole name.
  const host = `${Array.from({ length: 5 }, () => 'a'.repeat(50)).join('.')}.invalid`;
  const { status, body } = await fanout(`http://${host}:8080`, 1);
  assert.equal(status, 502);
  assert.equal(body.firstError?.length, 200);
  assert.ok(body.firstError?.includes('aaaa'), body.firstError);
});
