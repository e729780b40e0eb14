import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkTools } from './check.ts';

test('a present tool reports its version line; a missing or failing one says why', () => {
  const [node, missing, failing] = checkTools([
    { name: process.execPath, versionArgs: ['--version'] },
    { name: 'meshproof-no-such-tool', versionArgs: ['--version'] },
    { name: process.execPath, versionArgs: ['-e', 'process.exit(3)'] },
  ]);
  assert.deepEqual(node, { name: process.execPath, found: true, detail: process.version });
  assert.deepEqual(missing, { name: 'meshproof-no-such-tool', found: false, detail: 'not on PATH' });
  assert.equal(failing?.found, false);
});
