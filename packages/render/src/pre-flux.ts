import type { Cluster, Platform } from '@meshproof/spec';
import type { PreFluxCommand } from './mesh.ts';
import { meshPlugin } from './meshes.ts';

/** Commands the cluster's mesh needs before Flux is installed (none for most meshes). */
export const preFluxSteps = (platform: Platform, cluster: Cluster): PreFluxCommand[] =>
  meshPlugin(cluster.mesh).preFlux?.({ platform, cluster }) ?? [];
