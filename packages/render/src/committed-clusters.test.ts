import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadPlatform } from '@meshproof/spec';
import { meshPlugin } from './meshes.ts';
import { renderCluster } from './render-cluster.ts';
import { diffDir } from './write.ts';

// The committed clusters/ folder is the golden output of the repository's own spec.
const root = fileURLToPath(new URL('../../../', import.meta.url));

const hasPlugin = (mesh: Parameters<typeof meshPlugin>[0]) => {
  try {
    meshPlugin(mesh);
    return true;
  } catch {
    return false;
  }
};

test('committed clusters/ match a fresh render of meshproof.config.ts', async (t) => {
  const result = await loadPlatform(join(root, 'meshproof.config.ts'));
  assert.ok(result.ok, 'the repository spec is valid');
  for (const cluster of result.platform.clusters) {
    if (!hasPlugin(cluster.mesh)) {
      t.diagnostic(`${cluster.name}: mesh ${cluster.mesh} has no renderer yet; not compared`);
      continue;
    }
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
