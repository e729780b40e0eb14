// /api/echo keeps a bounded set of ready answers per size: whatever the mix of sizes, every answer
// is exactly the bytes asked for, before and after the set is full.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createBackend } from './app.ts';
import { readBackendConfig } from './config.ts';

const service = createBackend(readBackendConfig({ VERSION: 'v1', SHUTDOWN_DELAY_MS: '0' }));
let base = '';
before(async () => {
  base = `http://127.0.0.1:${await service.listen(0, '127.0.0.1')}`;
});
after(() => service.shutdown());

test('/api/echo answers exact sizes for many distinct sizes, repeated', async () => {
  const sizes = Array.from({ length: 100 }, (_, i) => i * 37 + 1);
  for (const round of [1, 2]) {
    for (const size of sizes) {
      const res = await fetch(`${base}/api/echo?size=${size}`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-length'), String(size));
      assert.equal(res.headers.get('content-type'), 'application/octet-stream');
      const body = Buffer.from(await res.arrayBuffer());
      assert.equal(body.length, size, `size ${size}, round ${round}`);
      assert.equal(body.toString(), 'meshproof.'.repeat(Math.ceil(size / 10)).slice(0, size));
    }
  }
});
