// The figures that circulate about mTLS latency per mesh (the seed of this project), quoted so our own
// measurement can stand beside them. See ../shared/reference/benchmark-method.md §1 for what is and is not
// verified about them.
export const SEED_SOURCE =
  'Bremler-Barr, Lavi, Naor, Rampal, Tavori: "Technical Report: Performance Comparison of Service Mesh Frameworks: the MTLS Test Case", arXiv:2411.02267 (Nov 2024)';

export interface SeedClaim {
  mesh: string;
  name: string;
  /** Latency increase with mTLS on, as quoted. */
  pct: number;
}

export const SEED_CLAIMS: readonly SeedClaim[] = [
  { mesh: 'istio-ambient', name: 'Istio Ambient', pct: 8 },
  { mesh: 'istio-sidecar', name: 'Istio sidecar', pct: 166 },
  { mesh: 'linkerd', name: 'Linkerd', pct: 33 },
  { mesh: 'cilium', name: 'Cilium', pct: 99 },
];

export const SETUP_DIFFERENCES = [
  "Their setup: one GKE cluster; the companion repository pins the Fortio client and the Go server to the same single node (n2d-highcpu-8), at a fixed QPS with keep-alive connections and Fortio's default 1 ms histogram resolution.",
  "Which percentile the four numbers refer to is not stated in the summaries that quote them (p50 and p99 are both claimed; about 3,200 RPS is mentioned, unverified), and no intervals are given; the numbers above were not checked against the paper's tables.",
  "Ours: kind clusters on one host (every node shares its CPUs and kernel, so scheduling noise weighs on the tail), client and server on different kind nodes, k6 open-model load at the profile's rate, plain and mesh repetitions alternated on the same cluster, the overhead reported in ms with its plain baseline and a 95 % CI.",
  'A percentage depends on the base latency it divides by: a loopback or in-host base of a few hundred µs makes any fixed proxy cost look large in %, so read the ms column first.',
];
