import { type MemoryPart, meshPlugin, PLANNING_ESTIMATE } from '@meshproof/render';
import type { Cluster, Platform } from '@meshproof/spec';

// How much memory Docker must offer one kind cluster of the spec. An estimate until measured: where
// an upstream chart or the render sets a memory request we use it (cited); where upstream sets none
// (Flux, Prometheus, and parts of the meshes) the figure is our planning number and says so. What a
// mesh adds is its render folder's knowledge (MeshPlugin.memory). Working sets of
// kind nodes are not published upstream; kubeadm asks for 2 GB of RAM per machine, OS included
// (kubernetes/website, docs/setup/production-environment/tools/kubeadm/install-kubeadm.md), and a kind
// node shares the host's kernel and OS, so we plan half of that for the control plane.

export type { MemoryPart };

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
      basis: PLANNING_ESTIMATE,
    },
    {
      what: 'Flux controllers (source, kustomize, helm, notification)',
      mib: 4 * 128,
      basis: PLANNING_ESTIMATE,
    },
    { what: 'metrics-server', mib: 64, basis: PLANNING_ESTIMATE },
    ...meshPlugin(cluster.mesh).memory(cluster, {
      nodes,
      meshedPods: podCount + canaryNamespaces,
      appNamespaces,
    }),
    ...(canaries.length > 0
      ? [
          { what: 'Flagger', mib: 128, basis: PLANNING_ESTIMATE },
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
            basis: PLANNING_ESTIMATE,
          },
        ]
      : []),
    ...(obs.grafana ? [{ what: 'Grafana', mib: 256, basis: PLANNING_ESTIMATE }] : []),
    ...(obs.tracing
      ? [{ what: 'OpenTelemetry collector and Jaeger', mib: 768, basis: PLANNING_ESTIMATE }]
      : []),
    ...(obs.logs ? [{ what: 'Loki', mib: 512, basis: PLANNING_ESTIMATE }] : []),
    { what: `demo apps ×${podCount} pods`, mib: appMiB, basis: "each app's memory request in the spec" },
  ];
  const sum = parts.reduce((total, part) => total + part.mib, 0);
  return { cluster: cluster.name, parts, totalMiB: Math.ceil(sum * (1 + HEADROOM)) };
}

export const formatMiB = (mib: number) => `${(mib / 1024).toFixed(1)} GiB`;
