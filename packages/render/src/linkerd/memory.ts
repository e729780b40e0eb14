import type { Cluster } from '@meshproof/spec';
import { type MemoryPart, type MemoryShape, PLANNING_ESTIMATE } from '../mesh.ts';

// The Linkerd charts set no memory requests on the control plane; only the proxy's is the render's own.
export const linkerdMemory = (cluster: Cluster, { nodes, meshedPods }: MemoryShape): MemoryPart[] => [
  {
    what: 'Linkerd control plane (destination, identity, proxy-injector)',
    mib: 384,
    basis: PLANNING_ESTIMATE,
  },
  {
    what: `linkerd-proxy ×${meshedPods} pods`,
    mib: 32 * meshedPods,
    basis: 'proxy memory request the render sets on the linkerd-control-plane HelmRelease',
  },
  { what: `linkerd-cni ×${nodes} nodes`, mib: 32 * nodes, basis: PLANNING_ESTIMATE },
  { what: 'cert-manager and trust-manager', mib: 256, basis: PLANNING_ESTIMATE },
  ...(cluster.linkerd?.viz ? [{ what: 'linkerd-viz', mib: 512, basis: PLANNING_ESTIMATE }] : []),
];
