// Fault injection through a real service: rates drawn from a seeded sequence (so a run is
// repeatable and the bound is statistical, not luck), the strict `<` at a rate's edge, latency added
// before the error decision, and a client that leaves during the delay never reaching the handler.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sendJson } from '@meshproof-app/shared/http';
import { createRegistry } from '@meshproof-app/shared/metrics';
import type { Route } from '@meshproof-app/shared/service';
import { createService } from '@meshproof-app/shared/service';
import type { Faults } from './config.ts';
import { readBackendConfig } from './config.ts';
import { withFaults } from './faults.ts';

/** Draws spread evenly over [0, 1) from a start value (a golden-ratio Weyl sequence): repeatable, no luck. */
function seeded(start: number): () => number {
  let x = start;
  return () => {
    x = (x + 0.6180339887498949) % 1;
    return x;
  };
}

async function withFaultyService(
  faults: Faults,
  random: () => number,
  run: (base: string, handled: () => number, inFlight: () => number) => Promise<void>,
) {
  let handled = 0;
  const route: Route = {
    template: '/',
    handler: withFaults(
      (_req, res) => {
        handled++;
        sendJson(res, 200, { ok: true });
      },
      faults,
      random,
    ),
  };
  const service = createService({
    serviceName: 'faults',
    version: 'v1',
    router: (p) => (p === '/' ? { route, param: '' } : undefined),
    registry: createRegistry(),
    shutdownDelayMs: 0,
    drainTimeoutMs: 2000,
  });
  const base = `http://127.0.0.1:${await service.listen(0, '127.0.0.1')}`;
  try {
    await run(base, () => handled, service.inFlight);
  } finally {
    await service.shutdown();
  }
}

test('no fault settings: injection is off and every variable has its default', () => {
  assert.deepEqual(readBackendConfig({}).faults, { errorRate: 0, delayMs: 0, delayRate: 1 });
});

test('an error rate of 0.5 fails about half of 200 requests (seeded)', async () => {
  await withFaultyService({ errorRate: 0.5, delayMs: 0, delayRate: 0 }, seeded(0.16), async (base) => {
    let errors = 0;
    for (let i = 0; i < 200; i++) {
      const res = await fetch(base);
      await res.arrayBuffer();
      if (res.status === 500) errors++;
      else assert.equal(res.status, 200);
    }
    // Binomial(200, 0.5): 70..130 is beyond 4 standard deviations either way.
    assert.ok(errors >= 70 && errors <= 130, `errors=${errors}`);
  });
});

test('a draw equal to the rate injects nothing; a draw below it does', async () => {
  await withFaultyService(
    { errorRate: 0.5, delayMs: 60_000, delayRate: 0.5 },
    () => 0.5,
    async (base) => {
      // No 60 s delay (the bound is half of it, so a loaded machine cannot fail it) and no 500.
      const started = performance.now();
      assert.equal((await fetch(base)).status, 200);
      assert.ok(performance.now() - started < 30_000, 'no injected delay');
    },
  );
  await withFaultyService(
    { errorRate: 0.5, delayMs: 0, delayRate: 0 },
    () => 0.4999,
    async (base) => {
      const res = await fetch(base);
      assert.equal(res.status, 500);
      assert.deepEqual(await res.json(), { error: 'injected fault (FAULT_ERROR_RATE)' });
    },
  );
});

test('with errors off and no delay (or a delay rate of 0) no draw is made', async () => {
  for (const faults of [
    { errorRate: 0, delayMs: 0, delayRate: 1 },
    { errorRate: 0, delayMs: 500, delayRate: 0 },
  ]) {
    let draws = 0;
    const random = () => {
      draws++;
      return 0;
    };
    await withFaultyService(faults, random, async (base) => {
      assert.equal((await fetch(base)).status, 200);
    });
    assert.equal(draws, 0, JSON.stringify(faults));
  }
});

test('without FAULT_DELAY_MS each request makes one draw, the error decision', async () => {
  let draws = 0;
  const random = () => {
    draws++;
    return 0.9; // above the error rate: every request is served
  };
  await withFaultyService({ errorRate: 0.5, delayMs: 0, delayRate: 1 }, random, async (base) => {
    for (let i = 0; i < 3; i++) assert.equal((await fetch(base)).status, 200);
  });
  assert.equal(draws, 3);
});

test('latency comes first: a delayed request that then fails takes at least the delay', async () => {
  await withFaultyService(
    { errorRate: 1, delayMs: 300, delayRate: 1 },
    Math.random,
    async (base, handled) => {
      const started = performance.now();
      assert.equal((await fetch(base)).status, 500);
      assert.ok(performance.now() - started >= 295);
      assert.equal(handled(), 0);
    },
  );
});

test('a client that leaves during the injected delay never reaches the handler', async () => {
  const delayMs = 1000;
  await withFaultyService(
    { errorRate: 0, delayMs, delayRate: 1 },
    Math.random,
    async (base, handled, inFlight) => {
      const controller = new AbortController();
      const left = fetch(base, { signal: controller.signal }).catch((err: Error) => err);
      // Leave once the server has the request, well inside the delay.
      while (inFlight() === 0) await new Promise((r) => setTimeout(r, 5));
      controller.abort();
      assert.ok((await left) instanceof Error);
      // Timers of equal length fire in order: once this later request is answered, the first one's
      // delay is over too.
      assert.equal((await fetch(base)).status, 200);
      assert.equal(handled(), 1);
    },
  );
});
