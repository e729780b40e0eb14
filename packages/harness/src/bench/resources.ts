// The data plane's CPU/memory read from the metrics API (metrics-server, which every kind cluster of the
// render runs). Which containers are the data plane is the mesh's knowledge: its render plugin says.

import type { ResourceSample } from '@meshproof/bench';
import type { MeshPlugin } from '@meshproof/render';

interface PodMetrics {
  metadata: { name: string; namespace: string; labels?: Record<string, string> };
  timestamp: string;
  containers: Array<{ name: string; usage: { cpu: string; memory: string } }>;
}

/** Kubernetes quantities: CPU "123456n", "250m", "1"; memory "12345Ki", "10Mi", "1Gi", bytes. */
export function cpuMillicores(q: string): number {
  const m = /^(\d+(?:\.\d+)?)([num]?)$/.exec(q);
  if (!m) throw new Error(`not a CPU quantity: "${q}"`);
  const v = Number(m[1]);
  return m[2] === 'n' ? v / 1e6 : m[2] === 'u' ? v / 1e3 : m[2] === 'm' ? v : v * 1000;
}

export function memoryBytes(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|k|M|G)?$/.exec(q);
  if (!m) throw new Error(`not a memory quantity: "${q}"`);
  const f = { Ki: 1024, Mi: 2 ** 20, Gi: 2 ** 30, k: 1e3, M: 1e6, G: 1e9 }[m[2] ?? ''] ?? 1;
  return Number(m[1]) * f;
}

/** Data-plane samples from a `kubectl get --raw /apis/metrics.k8s.io/v1beta1/pods` response. */
export function dataPlaneSamples(
  podMetricsList: { items?: PodMetrics[] },
  classify: MeshPlugin['dataPlaneComponent'],
): ResourceSample[] {
  return (podMetricsList.items ?? []).flatMap((p) =>
    p.containers.flatMap((c) => {
      const component = classify({
        pod: p.metadata.name,
        container: c.name,
        labels: p.metadata.labels ?? {},
      });
      return component
        ? [
            {
              time: p.timestamp,
              namespace: p.metadata.namespace,
              pod: p.metadata.name,
              container: c.name,
              component,
              cpuMillicores: cpuMillicores(c.usage.cpu),
              memoryBytes: memoryBytes(c.usage.memory),
            },
          ]
        : [];
    }),
  );
}
