import type { Mesh } from '@meshproof/spec';
import { baseline } from './baseline/plugin.ts';
import { cilium } from './cilium/plugin.ts';
import { istioAmbient } from './istio/ambient.ts';
import { istioSidecar } from './istio/sidecar.ts';
import { linkerd } from './linkerd/plugin.ts';
import type { L7DenySignature, MeshPlugin } from './mesh.ts';

// One entry per mesh; a mesh without a plug-in fails the render instead of rendering a cluster without it.
const PLUGINS: Partial<Record<Mesh, MeshPlugin>> = {
  none: baseline,
  'istio-ambient': istioAmbient,
  'istio-sidecar': istioSidecar,
  linkerd,
  cilium,
};

export function meshPlugin(mesh: Mesh): MeshPlugin {
  const plugin = PLUGINS[mesh];
  if (!plugin)
    throw new Error(`no renderer for mesh "${mesh}" yet; refusing to render a cluster without its mesh`);
  return plugin;
}

/**
 * Every proxy refusal some mesh declares, so an answer can be recognised on any cluster (and flagged
 * when it comes from a mesh the cluster does not run).
 */
export const knownDenySignatures = (): L7DenySignature[] => [
  ...new Map(
    Object.values(PLUGINS).flatMap((p) => p.zeroTrust.denials.l7.map((s) => [s.id, s] as const)),
  ).values(),
];
