// /delay/{ms} holds a timer per request: a client that leaves must release it at once, or every
// abandoned request keeps a timer and its response alive for up to DELAY_MAX_MS.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { createBackend } from './app.ts';
import { readBackendConfig } from './config.ts';

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

async function until(cond: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('a client that leaves /delay/{ms} releases its timer', async () => {
  const service = createBackend(readBackendConfig({ VERSION: 'v1', SHUTDOWN_DELAY_MS: '0' }));
  const port = await service.listen(0, '127.0.0.1');
  try {
    const idle = timers();
    const client = request({ host: '127.0.0.1', port, path: '/delay/10000', agent: false });
    client.on('error', () => {}); // the abort below
    client.end();
    await until(() => service.inFlight() === 1, 'the request to reach the handler');
    assert.ok(timers() > idle, `the delay holds a timer (${idle} before, ${timers()} now)`);
    client.destroy();
    await until(() => service.inFlight() === 0, 'the server to see the client leave');
    await until(() => timers() <= idle, `the timers to drop back to ${idle} (now ${timers()})`);
  } finally {
    await service.shutdown();
  }
});
