import { formatCaveat, renderCaveats } from '@meshproof/render';
import type { Platform } from '@meshproof/spec';
import type { Io } from './io.ts';

/** Prints what the meshes cannot render of the spec (warnings: the exit code stays as it is). */
export function printCaveats(io: Io, platform: Platform, cluster?: string): number {
  const caveats = renderCaveats(platform).filter((c) => cluster === undefined || c.cluster === cluster);
  for (const c of caveats) io.stderr.write(`${formatCaveat(c)}\n`);
  return caveats.length;
}
