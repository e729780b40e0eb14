import type { Cluster } from '@meshproof/spec';

/** Cilium's mesh options with the spec defaults (mutual auth and WireGuard on). */
export function ciliumOptions(cluster: Cluster) {
  return {
    mutualAuth: cluster.cilium?.mutualAuth ?? true,
    encryption: cluster.cilium?.encryption ?? 'wireguard',
  };
}

/**
 * Helm values for the cilium chart on a kind cluster. Every key exists in the chart's
 * values.schema.json at 1.19.4 (checked by the tests against the pinned copy).
 */
export function ciliumValues(cluster: Cluster): Record<string, unknown> {
  const { mutualAuth, encryption } = ciliumOptions(cluster);
  return {
    // kind runs without kube-proxy (kubeProxyMode: none): Cilium serves Services and must reach
    // the API server directly, by the control-plane node's name on kind's Docker network.
    kubeProxyReplacement: true,
    k8sServiceHost: `${cluster.name}-control-plane`,
    k8sServicePort: 6443,
    ipam: { mode: 'kubernetes' },
    // BPF masquerading bypasses Docker's embedded DNS on kind and breaks external name resolution.
    bpf: { masquerade: false },
    // GAMMA routes (HTTPRoute on a Service) for version splits and Flagger canaries.
    gatewayAPI: { enabled: true },
    hubble: { enabled: true, relay: { enabled: true } },
    // Workload identity: SPIRE-backed mutual authentication, enforced by rules that require it.
    authentication: { mutual: { spire: { enabled: mutualAuth, install: { enabled: mutualAuth } } } },
    // Mutual auth authenticates but does not encrypt; WireGuard encrypts pod traffic between nodes.
    encryption: encryption === 'wireguard' ? { enabled: true, type: 'wireguard' } : { enabled: false },
    // One operator replica fits a small kind cluster; two would only wait on leader election.
    operator: { replicas: 1 },
    image: { pullPolicy: 'IfNotPresent' },
  };
}
