import type { Cluster, Platform } from '@meshproof/spec';
import { meshPlugin } from './meshes.ts';

/** Commands the cluster's mesh needs before Flux is installed (none for most meshes). */
export const preFluxSteps = (platform: Platform, cluster: Cluster): string[] =>
  meshPlugin(cluster.mesh).preFlux?.({ platform, cluster }) ?? [];
