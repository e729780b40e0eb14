// Every pinned upstream version and digest lives here, so a bump is a one-file change with a reviewable diff.
// Each pin carries a `renovate:` comment the custom manager in renovate.json reads (datasource, package,
// registry, versioning); renovate.test.ts proves every pin has one. After a bump, re-render clusters/.

/**
 * kind v0.32.0 and a Kubernetes 1.35 node image (the newest Linkerd 2.20 supports); kind asks users to
 * pin the digest from its release notes. Unconfirmed from those notes (not readable here): independent
 * public pins pair this digest with kind v0.32.0, next to v1.36.1@sha256:3489c767…, which is v0.32.0's
 * own default image (pkg/apis/config/defaults/image.go at the v0.32.0 tag). The README lists it.
 */
export const KIND = {
  // renovate: datasource=github-releases depName=kubernetes-sigs/kind
  version: 'v0.32.0',
  // renovate: datasource=docker depName=kindest/node versioning=docker
  nodeImage: 'kindest/node:v1.35.5@sha256:ce977ae6d65918d0b58a5f8b5e940429c2ce42fa3a5619ec2bbc60b949c0ac95',
} as const;

export const FLUX = {
  // renovate: datasource=github-releases depName=fluxcd/flux2 versioning=regex:^(?<major>\d+)\.(?<minor>\d+)$ extractVersion=^v(?<version>\d+\.\d+)\.\d+$
  version: '2.9',
  // renovate: datasource=github-releases depName=fluxcd/source-controller extractVersion=^v(?<version>.+)$
  sourceController: '1.9.1',
  // renovate: datasource=github-releases depName=fluxcd/kustomize-controller extractVersion=^v(?<version>.+)$
  kustomizeController: '1.9.4',
  // renovate: datasource=github-releases depName=fluxcd/helm-controller extractVersion=^v(?<version>.+)$
  helmController: '1.6.3',
  // renovate: datasource=github-releases depName=fluxcd/notification-controller extractVersion=^v(?<version>.+)$
  notificationController: '1.9.3',
} as const;

export const GATEWAY_API = {
  // renovate: datasource=github-releases depName=kubernetes-sigs/gateway-api
  version: 'v1.5.1',
  gitUrl: 'https://github.com/kubernetes-sigs/gateway-api',
  /** Standard channel only: the bundle's safe-upgrades policy refuses experimental CRDs over it. */
  path: './config/crd/standard',
} as const;

export const ISTIO = {
  // renovate: datasource=helm depName=istiod registryUrl=https://istio-release.storage.googleapis.com/charts
  version: '1.30.3',
  helmRepo: 'https://istio-release.storage.googleapis.com/charts',
} as const;

/**
 * Flagger and its loadtester. The `loadtester` chart is published in the same Helm repository; its
 * chart version follows the loadtester release (0.38.0 shipped with Flagger 1.44.0, fluxcd/flagger
 * PR #1945), and the image tag is pinned to the same release rather than left to the chart default.
 */
export const FLAGGER = {
  // renovate: datasource=helm depName=flagger registryUrl=https://flagger.app
  version: '1.44.0',
  helmRepo: 'https://flagger.app',
  loadtester: {
    // renovate: datasource=helm depName=loadtester registryUrl=https://flagger.app
    chartVersion: '0.38.0',
    // renovate: datasource=docker depName=ghcr.io/fluxcd/flagger-loadtester
    imageTag: '0.38.0',
  },
} as const;

/**
 * Linkerd 2.20 is the edge release edge-26.6.3; edge charts are versioned `2026.<minor>.<patch>`
 * after the edge tag. linkerd2-cni and linkerd-viz are assumed to follow the same scheme.
 */
export const LINKERD = {
  // renovate: datasource=github-tags depName=linkerd/linkerd2 versioning=regex:^version-(?<major>\d+)\.(?<minor>\d+)$
  version: 'version-2.20',
  // renovate: datasource=github-tags depName=linkerd/linkerd2 versioning=regex:^edge-(?<major>\d+)\.(?<minor>\d+)\.(?<patch>\d+)$
  edge: 'edge-26.6.3',
  // renovate: datasource=helm depName=linkerd-control-plane registryUrl=https://helm.linkerd.io/edge
  chartVersion: '2026.6.3',
  helmRepo: 'https://helm.linkerd.io/edge',
} as const;

/**
 * cert-manager and trust-manager issue and distribute Linkerd's identity certificates. cert-manager
 * v1.21.2 is an upstream release (cert-manager/cert-manager#9237, notes in cert-manager/website#2261).
 */
export const CERT_MANAGER = {
  // renovate: datasource=helm depName=cert-manager registryUrl=https://charts.jetstack.io
  version: 'v1.21.2',
  helmRepo: 'https://charts.jetstack.io',
} as const;
export const TRUST_MANAGER = {
  // renovate: datasource=helm depName=trust-manager registryUrl=https://charts.jetstack.io
  version: 'v0.22.1',
} as const;

export const CILIUM = {
  // renovate: datasource=helm depName=cilium registryUrl=https://helm.cilium.io/
  version: '1.19.4',
  helmRepo: 'https://helm.cilium.io/',
} as const;

/**
 * Observability charts. Each version exists upstream (release tags and public upgrade PRs); newer
 * ones exist too, so read the chart's upgrade notes before bumping. kube-prometheus-stack 91.2.1 is
 * the prometheus-community/helm-charts tag kube-prometheus-stack-91.2.1 (seen through its release notes).
 */
export const OBSERVABILITY = {
  kubePrometheusStack: {
    repo: 'https://prometheus-community.github.io/helm-charts',
    // renovate: datasource=helm depName=kube-prometheus-stack registryUrl=https://prometheus-community.github.io/helm-charts
    version: '91.2.1',
  },
  openTelemetryCollector: {
    repo: 'https://open-telemetry.github.io/opentelemetry-helm-charts',
    // renovate: datasource=helm depName=opentelemetry-collector registryUrl=https://open-telemetry.github.io/opentelemetry-helm-charts
    version: '0.155.0',
  },
  jaeger: {
    repo: 'https://jaegertracing.github.io/helm-charts',
    // renovate: datasource=helm depName=jaeger registryUrl=https://jaegertracing.github.io/helm-charts
    version: '4.1.0',
  },
  loki: {
    repo: 'https://grafana.github.io/helm-charts',
    // renovate: datasource=helm depName=loki registryUrl=https://grafana.github.io/helm-charts
    version: '7.0.0',
  },
} as const;

/**
 * metrics-server serves the resource metrics API every HorizontalPodAutoscaler reads (kind ships none).
 * Chart 3.14.0 (kubernetes-sigs/metrics-server tag metrics-server-helm-chart-3.14.0) bundles metrics-server
 * 0.9.0, whose line supports Kubernetes 1.34+ (kind node 1.35).
 */
export const METRICS_SERVER = {
  // renovate: datasource=helm depName=metrics-server registryUrl=https://kubernetes-sigs.github.io/metrics-server/
  chartVersion: '3.14.0',
  helmRepo: 'https://kubernetes-sigs.github.io/metrics-server/',
} as const;
