// The committed clusters/ folder is the golden output of the repository's own spec. One test file
// per mesh folder (<folder>/committed-clusters.test.ts) renders only that mesh's clusters, so a
// mutation in one mesh's code runs only its file; committed-clusters.test.ts checks none is left out.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadPlatform, type Platform } from '@meshproof/spec';
import { meshPlugin } from './meshes.ts';
import { renderCluster } from './render-cluster.ts';
import { diffDir } from './write.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The repository's spec (meshproof.config.ts), which must be valid. */
export async function repoPlatform(): Promise<Platform> {
  const result = await loadPlatform(join(REPO_ROOT, 'meshproof.config.ts'));
  assert.ok(result.ok, 'the repository spec is valid');
  return result.platform;
}

/** One test per cluster of the repository spec whose mesh plug-in is `pluginId` (its folder name). */
export async function testCommittedClusters(pluginId: string): Promise<void> {
  const platform = await repoPlatform();
  const clusters = platform.clusters.filter((c) => meshPlugin(c.mesh).id === pluginId);
  test(`the repository spec has ${pluginId} clusters`, () => {
    assert.ok(clusters.length > 0, `no cluster of meshproof.config.ts runs ${pluginId}`);
  });
  for (const cluster of clusters) {
    test(`committed clusters/${cluster.name} matches a fresh render of meshproof.config.ts`, async () => {
      const drift = await diffDir(
        join(REPO_ROOT, 'clusters', cluster.name),
        renderCluster(platform, cluster),
      );
      assert.deepEqual(
        drift,
        { drifted: [], missing: [], extra: [] },
        `clusters/${cluster.name} is stale: run ./dev meshproof render`,
      );
    });
  }
}
