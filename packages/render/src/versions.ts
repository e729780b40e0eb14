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

export const FLAGGER = {
  version: '1.44.0',
  helmRepo: 'https://flagger.app',
} as const;

export const LINKERD = { version: 'version-2.20' } as const;
export const CILIUM = { version: '1.19.4' } as const;
