import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCaptured } from './test-io.ts';

test('a path that cannot be written is reported with exit 2, not a stack trace', async () => {
  const clusters = fileURLToPath(new URL('../../../clusters/kind-baseline', import.meta.url));
  const { code, stderr } = await runCaptured([
    'check',
    '--skip-schemas',
    '--output',
    '/nonexistent-meshproof/dir/x.sarif',
    '--format',
    'sarif',
    clusters,
  ]);
  assert.equal(code, 2, stderr);
  assert.match(stderr, /nonexistent-meshproof\/dir.*no such file or folder/);
});
