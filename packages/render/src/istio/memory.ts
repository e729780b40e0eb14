import type { Cluster } from '@meshproof/spec';
import type { MemoryPart, MemoryShape } from '../mesh.ts';

// Requests of the Istio 1.30.3 charts the render installs, or that the render itself sets.
const istiod: MemoryPart = {
  what: 'istiod',
  mib: 256,
  basis: 'request the render sets on the istiod HelmRelease',
};

const perNode = (what: string, mib: number, basis: string, nodes: number): MemoryPart => ({
  what: `${what} ×${nodes} nodes`,
  mib: mib * nodes,
  basis,
});

const cni = (nodes: number) => perNode('istio-cni', 100, 'istio-cni chart 1.30.3 default request', nodes);

export const ambientMemory = (cluster: Cluster, { nodes, appNamespaces }: MemoryShape): MemoryPart[] => [
  istiod,
  perNode('ztunnel', 512, 'ztunnel chart 1.30.3 default request', nodes),
  cni(nodes),
  ...(cluster.istio?.waypoint === false
    ? []
    : [
        {
          what: `waypoint ×${appNamespaces} namespaces`,
          mib: 128 * appNamespaces,
          basis: 'istio-discovery chart 1.30.3 waypoint default request',
        },
      ]),
];

export const sidecarMemory = (_cluster: Cluster, { nodes, meshedPods }: MemoryShape): MemoryPart[] => [
  istiod,
  cni(nodes),
  {
    what: `Envoy sidecar ×${meshedPods} pods`,
    mib: 128 * meshedPods,
    basis: 'istio-discovery chart 1.30.3 global.proxy default request',
  },
];
