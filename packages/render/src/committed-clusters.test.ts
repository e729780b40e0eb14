import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { meshPlugin } from './meshes.ts';
import { repoPlatform } from './test-committed-clusters.ts';

// The golden test of clusters/ runs per mesh folder (<folder>/committed-clusters.test.ts); every
// cluster of the repository spec must be checked by its mesh's file.
test('every cluster of meshproof.config.ts is checked by the committed-clusters test of its mesh', async () => {
  const platform = await repoPlatform();
  assert.ok(platform.clusters.length > 0);
  for (const cluster of platform.clusters) {
    const id = meshPlugin(cluster.mesh).id;
    const file = new URL(`./${id}/committed-clusters.test.ts`, import.meta.url);
    assert.ok(existsSync(file), `${cluster.name}: no ${id}/committed-clusters.test.ts`);
    assert.match(readFileSync(file, 'utf8'), new RegExp(`testCommittedClusters\\('${id}'\\)`), cluster.name);
  }
});
