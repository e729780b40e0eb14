import type { z } from 'zod';
import type { MESHES, platformSchema } from './schema.ts';

/** What users write in meshproof.config.ts (defaults may be left out). */
export type PlatformInput = z.input<typeof platformSchema>;
/** The validated spec with every default filled in: what the renderer reads. */
export type Platform = z.output<typeof platformSchema>;
export type Cluster = Platform['clusters'][number];
export type App = Platform['apps'][number];
export type AppVersion = App['versions'][number];
export type Call = App['calls'][number];
export type Canary = NonNullable<App['canary']>;
export type Mesh = (typeof MESHES)[number];

/** One problem in a spec: `path` like `clusters[2].mesh`. */
export interface SpecError {
  path: string;
  message: string;
}
