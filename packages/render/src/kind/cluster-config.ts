import type { Cluster } from '@meshproof/spec';
import { GENERATED_HEADER, toYaml } from '../serialize.ts';
import { KIND } from '../versions.ts';

/** Node label carrying the spec's worker role; apps and the load generator prefer their role's nodes (workload/placement.ts). */
export const ROLE_LABEL = 'meshproof/role';

const INOTIFY_NOTE = `kind ${KIND.version}. Several kind clusters (and ztunnel, Flux, Prometheus) exhaust the host's default
inotify limits ("too many open files"). Raise them on the host before creating clusters:
  sudo sysctl fs.inotify.max_user_watches=524288
  sudo sysctl fs.inotify.max_user_instances=512
The node image is pinned by digest, as kind's release notes ask.`;

/** kind Cluster config: one control plane plus the spec's workers, labelled by role. */
export function kindConfig(cluster: Cluster, networking: Record<string, unknown> = {}): string {
  const config = {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    name: cluster.name,
    networking: Object.keys(networking).length > 0 ? networking : undefined,
    nodes: [
      { role: 'control-plane', image: KIND.nodeImage },
      ...cluster.nodes.workers.map((w) => ({
        role: 'worker',
        image: KIND.nodeImage,
        labels: { ...w.labels, [ROLE_LABEL]: w.role },
      })),
    ],
  };
  return `${GENERATED_HEADER}${INOTIFY_NOTE.replace(/^/gm, '# ')}\n${toYaml(config)}`;
}
