import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadPlatform } from '@meshproof/spec';
import { renderCluster } from './render-cluster.ts';
import { diffDir } from './write.ts';

// The committed clusters/ folder is the golden output of the repository's own spec.
const root = fileURLToPath(new URL('../../../', import.meta.url));

test('committed clusters/ match a fresh render of meshproof.config.ts', async () => {
  const result = await loadPlatform(join(root, 'meshproof.config.ts'));
  assert.ok(result.ok, 'the repository spec is valid');
  for (const cluster of result.platform.clusters) {
    const drift = await diffDir(
      join(root, 'clusters', cluster.name),
      renderCluster(result.platform, cluster),
    );
    assert.deepEqual(
      drift,
      { drifted: [], missing: [], extra: [] },
      `clusters/${cluster.name} is stale: run ./dev meshproof render`,
    );
  }
});
