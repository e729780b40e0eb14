// Every pinned upstream version and digest lives here, so a bump is a one-file change with a reviewable diff.

/** kind v0.32.0 ships this Kubernetes 1.35 node image; kind asks users to pin the digest from its release notes. */
export const KIND = {
  version: 'v0.32.0',
  nodeImage: 'kindest/node:v1.35.5@sha256:ce977ae6d65918d0b58a5f8b5e940429c2ce42fa3a5619ec2bbc60b949c0ac95',
} as const;

export const FLUX = {
  version: '2.9',
  sourceController: '1.9.1',
  kustomizeController: '1.9.4',
  helmController: '1.6.3',
  notificationController: '1.9.3',
} as const;

export const GATEWAY_API = {
  version: 'v1.5.1',
  gitUrl: 'https://github.com/kubernetes-sigs/gateway-api',
  /** Standard channel only: the bundle's safe-upgrades policy refuses experimental CRDs over it. */
  path: './config/crd/standard',
} as const;

export const ISTIO = {
  version: '1.30.3',
  helmRepo: 'https://istio-release.storage.googleapis.com/charts',
} as const;

/**
 * Flagger and its loadtester. The `loadtester` chart is published in the same Helm repository; its
 * chart version follows the loadtester release (0.38.0 shipped with Flagger 1.44.0, fluxcd/flagger
 * PR #1945), and the image tag is pinned to the same release rather than left to the chart default.
 */
export const FLAGGER = {
  version: '1.44.0',
  helmRepo: 'https://flagger.app',
  loadtester: { chartVersion: '0.38.0', imageTag: '0.38.0' },
} as const;

/**
 * Linkerd 2.20 is the edge release edge-26.6.3; edge charts are versioned `2026.<minor>.<patch>`
 * after the edge tag. linkerd2-cni and linkerd-viz are assumed to follow the same scheme.
 */
export const LINKERD = {
  version: 'version-2.20',
  edge: 'edge-26.6.3',
  chartVersion: '2026.6.3',
  helmRepo: 'https://helm.linkerd.io/edge',
} as const;

/** cert-manager and trust-manager issue and distribute Linkerd's identity certificates. */
export const CERT_MANAGER = { version: 'v1.21.2', helmRepo: 'https://charts.jetstack.io' } as const;
export const TRUST_MANAGER = { version: 'v0.22.1' } as const;

export const CILIUM = { version: '1.19.4', helmRepo: 'https://helm.cilium.io/' } as const;

/**
 * Observability charts. Each version exists upstream (release tags and public upgrade PRs); newer
 * ones exist too, so read the chart's upgrade notes before bumping.
 */
export const OBSERVABILITY = {
  kubePrometheusStack: { repo: 'https://prometheus-community.github.io/helm-charts', version: '91.2.1' },
  openTelemetryCollector: {
    repo: 'https://open-telemetry.github.io/opentelemetry-helm-charts',
    version: '0.155.0',
  },
  jaeger: { repo: 'https://jaegertracing.github.io/helm-charts', version: '4.1.0' },
  loki: { repo: 'https://grafana.github.io/helm-charts', version: '7.0.0' },
} as const;

/**
 * metrics-server serves the resource metrics API every HorizontalPodAutoscaler reads (kind ships none).
 * Chart 3.14.0 bundles metrics-server 0.9.0, whose line supports Kubernetes 1.34+ (kind node 1.35).
 */
export const METRICS_SERVER = {
  chartVersion: '3.14.0',
  helmRepo: 'https://kubernetes-sigs.github.io/metrics-server/',
} as const;
