import { readFileSync } from 'node:fs';

/** k6 v2.3.0, matching @types/k6 2.3.0. Digest as pinned in public manifests (not read from the registry here). */
export const K6_IMAGE =
  'grafana/k6:2.3.0@sha256:9c2dee7f8ed74d317e4027c06a10f169b625638189de8d4555d0b3486a5aeb34';

/** The k6 load script (TypeScript, run by k6 as is), which the in-cluster run mounts into its Jobs. */
export const k6Script = (): string => readFileSync(new URL('../../k6/load.ts', import.meta.url), 'utf8');
