// Where each layer's files live inside clusters/<cluster>/. Flux applies the layers in this order.
export const LAYERS = ['crds', 'controllers', 'configs', 'apps'] as const;
export type Layer = (typeof LAYERS)[number];

export const LAYER_DIR: Record<Layer, string> = {
  crds: 'infrastructure/crds',
  controllers: 'infrastructure/controllers',
  configs: 'infrastructure/configs',
  apps: 'apps',
};

export const FLUX_DIR = 'flux';
export const SYNC_DIR = 'sync';
export const KIND_FILE = 'kind.yaml';

/** Path Flux sees for a folder of this cluster, relative to the repository root. */
export const repoPath = (cluster: string, dir: string) => `./clusters/${cluster}/${dir}`;
