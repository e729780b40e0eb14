// The listener's own lifecycle: when it stops accepting, and which errors listen() takes for itself.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRegistry } from './metrics.ts';
import { createService } from './service.ts';

const service = (shutdownDelayMs: number) =>
  createService({
    serviceName: 'listener',
    version: 'v1',
    router: () => undefined,
    registry: createRegistry(),
    shutdownDelayMs,
    drainTimeoutMs: 1000,
  });

test('without a shutdown delay the listener stops accepting as soon as shutdown is called', async () => {
  const s = service(0);
  await s.listen(0, '127.0.0.1');
  const done = s.shutdown();
  // No delay to wait out: not even one timer turn in which a new connection could be accepted.
  assert.equal(s.server.listening, false);
  assert.equal(await done, true);
});

test('with a shutdown delay the listener keeps accepting until the delay is over', async () => {
  const s = service(200);
  await s.listen(0, '127.0.0.1');
  const done = s.shutdown();
  assert.equal(s.server.listening, true);
  assert.equal(await done, true);
  assert.equal(s.server.listening, false);
});

test('listen handles only its own start-up error: a later server error is not swallowed', async () => {
  const s = service(0);
  await s.listen(0, '127.0.0.1');
  try {
    // An 'error' with no listener throws: nothing listen() attached is left to hide a later failure.
    assert.throws(() => s.server.emit('error', new Error('later failure')), /later failure/);
  } finally {
    assert.equal(await s.shutdown(), true);
  }
});
