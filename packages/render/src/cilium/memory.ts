import type { Cluster } from '@meshproof/spec';
import { type MemoryPart, type MemoryShape, PLANNING_ESTIMATE } from '../mesh.ts';

// The Cilium 1.19 chart sets no memory requests by default: every figure here is a planning number.
export const ciliumMemory = (cluster: Cluster, { nodes }: MemoryShape): MemoryPart[] => [
  { what: `cilium-agent ×${nodes} nodes`, mib: 512 * nodes, basis: PLANNING_ESTIMATE },
  { what: `cilium-envoy ×${nodes} nodes`, mib: 128 * nodes, basis: PLANNING_ESTIMATE },
  { what: 'cilium-operator', mib: 128, basis: PLANNING_ESTIMATE },
  ...(cluster.cilium?.mutualAuth === false
    ? []
    : [{ what: 'SPIRE server and agents', mib: 128 + 64 * nodes, basis: PLANNING_ESTIMATE }]),
];
