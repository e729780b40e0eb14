// Where each layer's files live inside clusters/<cluster>/. Flux applies the layers in this order.
export const LAYERS = ['crds', 'identity', 'controllers', 'configs', 'apps'] as const;
export type Layer = (typeof LAYERS)[number];

/** Layers a cluster has only when its mesh puts objects in them (`MeshPlugin.identity`). */
export const OPTIONAL_LAYERS: ReadonlySet<Layer> = new Set<Layer>(['identity']);

export const LAYER_DIR: Record<Layer, string> = {
  crds: 'infrastructure/crds',
  identity: 'infrastructure/identity',
  controllers: 'infrastructure/controllers',
  configs: 'infrastructure/configs',
  apps: 'apps',
};

export const FLUX_DIR = 'flux';
export const SYNC_DIR = 'sync';
export const KIND_FILE = 'kind.yaml';

/** Path Flux sees for a folder of this cluster, relative to the repository root. */
export const repoPath = (cluster: string, dir: string) => `./clusters/${cluster}/${dir}`;
