import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadPlatform } from '@meshproof/spec';
import { estimateClusterMemory, formatMiB } from './memory.ts';

// The README's cost table quotes these estimates; a change to the estimate or the spec must show there.
const root = fileURLToPath(new URL('../../../../', import.meta.url));

test("the README's memory column is the Docker check's estimate for each cluster of the default spec", async () => {
  const loaded = await loadPlatform(`${root}meshproof.config.ts`);
  assert.ok(loaded.ok);
  const readme = readFileSync(`${root}README.md`, 'utf8');
  const quoted = [...readme.matchAll(/^\| `([a-z0-9-]+)` \| (\d+\.\d GiB) \|/gm)].map((m) => [m[1], m[2]]);
  assert.deepEqual(
    quoted,
    loaded.platform.clusters.map((c) => [
      c.name,
      formatMiB(estimateClusterMemory(loaded.platform, c).totalMiB),
    ]),
  );
});
