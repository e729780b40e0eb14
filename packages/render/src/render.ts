import type { Platform } from '@meshproof/spec';
import type { FileTree } from './model.ts';
import { renderCluster } from './render-cluster.ts';

/** Renders every cluster of the spec (or only `only`) in memory: cluster name → files. */
export function renderPlatform(platform: Platform, only?: string): Map<string, FileTree> {
  const clusters = only === undefined ? platform.clusters : platform.clusters.filter((c) => c.name === only);
  if (clusters.length === 0) throw new Error(`no cluster named "${only}"`);
  return new Map(clusters.map((c) => [c.name, renderCluster(platform, c)]));
}
