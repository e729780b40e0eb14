import type { Cluster, Platform } from '@meshproof/spec';

// How much memory Docker must offer one kind cluster of the spec. An estimate until measured: where
// an upstream chart or the render sets a memory request we use it (cited); where upstream sets none
// (Flux, Linkerd, Cilium, Prometheus) the figure is our planning number and says so. Working sets of
// kind nodes are not published upstream; kubeadm asks for 2 GB of RAM per machine, OS included
// (kubernetes/website, docs/setup/production-environment/tools/kubeadm/install-kubeadm.md), and a kind
// node shares the host's kernel and OS, so we plan half of that for the control plane.

export interface MemoryPart {
  what: string;
  mib: number;
  basis: string;
}

export interface MemoryEstimate {
  cluster: string;
  parts: MemoryPart[];
  /** Sum of the parts plus HEADROOM, in MiB. */
  totalMiB: number;
}

/** Requests are not peaks (image pulls, Helm renders, Prometheus compaction): plan a quarter more. */
export const HEADROOM = 0.25;

const mebibytes = (quantity: string) => {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!match) return 128;
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
};

const ESTIMATE = 'planning estimate (no upstream request)';

function meshParts(cluster: Cluster, nodes: number, meshedPods: number, appNamespaces: number): MemoryPart[] {
  const perNode = (what: string, mib: number, basis: string): MemoryPart => ({
    what: `${what} ×${nodes} nodes`,
    mib: mib * nodes,
    basis,
  });
  switch (cluster.mesh) {
    case 'none':
      return [];
    case 'istio-ambient':
      return [
        { what: 'istiod', mib: 256, basis: 'request the render sets on the istiod HelmRelease' },
        perNode('ztunnel', 512, 'ztunnel chart 1.30.3 default request'),
        perNode('istio-cni', 100, 'istio-cni chart 1.30.3 default request'),
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
    case 'istio-sidecar':
      return [
        { what: 'istiod', mib: 256, basis: 'request the render sets on the istiod HelmRelease' },
        perNode('istio-cni', 100, 'istio-cni chart 1.30.3 default request'),
        {
          what: `Envoy sidecar ×${meshedPods} pods`,
          mib: 128 * meshedPods,
          basis: 'istio-discovery chart 1.30.3 global.proxy default request',
        },
      ];
    case 'linkerd':
      return [
        { what: 'Linkerd control plane (destination, identity, proxy-injector)', mib: 384, basis: ESTIMATE },
        {
          what: `linkerd-proxy ×${meshedPods} pods`,
          mib: 32 * meshedPods,
          basis: 'proxy memory request the render sets on the linkerd-control-plane HelmRelease',
        },
        perNode('linkerd-cni', 32, ESTIMATE),
        { what: 'cert-manager and trust-manager', mib: 256, basis: ESTIMATE },
        ...(cluster.linkerd?.viz ? [{ what: 'linkerd-viz', mib: 512, basis: ESTIMATE }] : []),
      ];
    case 'cilium':
      return [
        perNode('cilium-agent', 512, ESTIMATE),
        perNode('cilium-envoy', 128, ESTIMATE),
        { what: 'cilium-operator', mib: 128, basis: ESTIMATE },
        ...(cluster.cilium?.mutualAuth === false
          ? []
          : [{ what: 'SPIRE server and agents', mib: 128 + 64 * nodes, basis: ESTIMATE }]),
      ];
  }
}

export function estimateClusterMemory(platform: Platform, cluster: Cluster): MemoryEstimate {
  const workers = cluster.nodes.workers.length;
  const nodes = workers + 1;
  const canaries = platform.apps.filter((app) => app.canary?.enabled);
  const canaryNamespaces = new Set(canaries.map((app) => app.namespace)).size;
  const appNamespaces = new Set(platform.apps.map((app) => app.namespace)).size;
  // Every version runs its minimum replicas; Flagger adds a primary copy of each canary app.
  const appPods = platform.apps.map(
    (app) => app.replicas.min * (app.versions.length + (app.canary?.enabled ? 1 : 0)),
  );
  const podCount = appPods.reduce((a, b) => a + b, 0);
  const appMiB = platform.apps.reduce(
    (sum, app, i) => sum + (appPods[i] ?? 0) * mebibytes(app.resources.memory),
    0,
  );
  const obs = platform.observability;
  const parts: MemoryPart[] = [
    {
      what: 'kind control-plane node (etcd, API server, controllers, CoreDNS, kubelet, containerd)',
      mib: 1024,
      basis: "half of kubeadm's 2 GB per machine, which includes an OS the node container does not run",
    },
    {
      what: `kind worker node ×${workers} (kubelet, containerd, kube-proxy, kindnet)`,
      mib: 512 * workers,
      basis: ESTIMATE,
    },
    { what: 'Flux controllers (source, kustomize, helm, notification)', mib: 4 * 128, basis: ESTIMATE },
    { what: 'metrics-server', mib: 64, basis: ESTIMATE },
    ...meshParts(cluster, nodes, podCount + canaryNamespaces, appNamespaces),
    ...(canaries.length > 0
      ? [
          { what: 'Flagger', mib: 128, basis: ESTIMATE },
          {
            what: `Flagger loadtester ×${canaryNamespaces}`,
            mib: 64 * canaryNamespaces,
            basis: 'request the render sets on the loadtester',
          },
        ]
      : []),
    ...(obs.prometheus
      ? [
          {
            what: 'Prometheus, its operator, kube-state-metrics and node-exporters',
            mib: 1024 + 128 + 64 + 32 * nodes,
            basis: ESTIMATE,
          },
        ]
      : []),
    ...(obs.grafana ? [{ what: 'Grafana', mib: 256, basis: ESTIMATE }] : []),
    ...(obs.tracing ? [{ what: 'OpenTelemetry collector and Jaeger', mib: 768, basis: ESTIMATE }] : []),
    ...(obs.logs ? [{ what: 'Loki', mib: 512, basis: ESTIMATE }] : []),
    { what: `demo apps ×${podCount} pods`, mib: appMiB, basis: "each app's memory request in the spec" },
  ];
  const sum = parts.reduce((total, part) => total + part.mib, 0);
  return { cluster: cluster.name, parts, totalMiB: Math.ceil(sum * (1 + HEADROOM)) };
}

export const formatMiB = (mib: number) => `${(mib / 1024).toFixed(1)} GiB`;
