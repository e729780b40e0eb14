import { KIND } from '@meshproof/render';

// Where each pinned CLI is published and how its release is laid out. Every asset and checksum file
// name below was read from the upstream project itself (cited per tool), never guessed; the hashes
// themselves are always downloaded from the same release, never written here.

export type ToolName = 'kind' | 'kubectl' | 'helm' | 'flux';
export type Os = 'linux' | 'darwin';
export type Arch = 'amd64' | 'arm64';
export interface Target {
  os: Os;
  arch: Arch;
}

export interface ToolPin {
  name: ToolName;
  /** The pinned version without a leading `v`. */
  version: string;
  /** Upstream host and path prefix; MESHPROOF_<NAME>_BASE_URL or the `baseUrls` option replaces it. */
  defaultBase: string;
  /** Path of the release asset under the base. */
  assetPath(t: Target): string;
  /** Path of the checksum file the same release publishes. */
  checksumPath(t: Target): string;
  /** The binary inside a tar.gz asset; absent when the asset is the binary itself. */
  archiveMember?(t: Target): string;
  versionArgs: readonly string[];
  /** The version a binary reports, from its version output; undefined when unrecognised. */
  parseVersion(output: string): string | undefined;
  /** Whether a binary of that version may stand in for the pin. */
  accepts(found: string): boolean;
  /** Where a person reads how to install it by hand. */
  manualInstall: string;
}

const exactly = (pinned: string) => (found: string) => found === pinned;

/** kubectl follows the kind node image (kindest/node:vX.Y.Z in render's versions.ts). */
export const KUBECTL_VERSION = (() => {
  const match = /kindest\/node:v(\d+\.\d+\.\d+)@/.exec(KIND.nodeImage);
  if (!match?.[1]) throw new Error(`KIND.nodeImage has no vX.Y.Z tag: ${KIND.nodeImage}`);
  return match[1];
})();

// kubernetes-sigs/kind v0.32.0: hack/release/build/cross.sh builds `kind-<os>-<arch>` and writes
// `<asset>.sha256sum` (`shasum -a 256` output: hash, two spaces, asset name) next to each binary;
// site/layouts/index.redirects sends kind.sigs.k8s.io/dl/v* to the GitHub release download;
// pkg/cmd/kind/version/version.go prints `kind v<version> <go> <os>/<arch>`.
const kind: ToolPin = {
  name: 'kind',
  version: KIND.version.replace(/^v/, ''),
  defaultBase: 'https://github.com/kubernetes-sigs/kind/releases/download',
  assetPath: ({ os, arch }) => `/${KIND.version}/kind-${os}-${arch}`,
  checksumPath: ({ os, arch }) => `/${KIND.version}/kind-${os}-${arch}.sha256sum`,
  versionArgs: ['version'],
  parseVersion: (out) => /^kind v(\d+\.\d+\.\d+\S*)/m.exec(out)?.[1],
  accepts: exactly(KIND.version.replace(/^v/, '')),
  manualInstall: 'https://kind.sigs.k8s.io/docs/user/quick-start/#installing-from-release-binaries',
};

// kubernetes/website content/en/docs/tasks/tools/install-kubectl-{linux,macos}.md: the binary is
// dl.k8s.io/release/v<version>/bin/<os>/<arch>/kubectl and `kubectl.sha256` beside it holds the bare
// hash; `kubectl version --client` prints `Client Version: v<version>`.
const kubectl: ToolPin = {
  name: 'kubectl',
  version: KUBECTL_VERSION,
  defaultBase: 'https://dl.k8s.io/release',
  assetPath: ({ os, arch }) => `/v${KUBECTL_VERSION}/bin/${os}/${arch}/kubectl`,
  checksumPath: ({ os, arch }) => `/v${KUBECTL_VERSION}/bin/${os}/${arch}/kubectl.sha256`,
  versionArgs: ['version', '--client'],
  parseVersion: (out) => /Client Version: v(\d+\.\d+\.\d+\S*)/.exec(out)?.[1],
  // kubectl's skew policy allows one minor either way; the node image's minor is the safe choice.
  accepts: (found) =>
    found.split('.').slice(0, 2).join('.') === KUBECTL_VERSION.split('.').slice(0, 2).join('.'),
  manualInstall: 'https://kubernetes.io/docs/tasks/tools/#kubectl',
};

// Helm 4.2.4 is the newest helm/helm release tag we could see (Aug 2026) and the line Flux 2.9.4 is
// built on (flux2 go.mod: helm.sh/helm/v4 v4.2.2), so the pre-Flux `helm install` of Cilium and the
// helm-controller that adopts the release speak the same Helm. helm/helm Makefile (`dist`, `checksum`):
// `helm-v<version>-<os>-<arch>.tar.gz` holding `<os>-<arch>/helm`, and `<asset>.sha256sum` with
// `shasum -a 256` output; scripts/get-helm-4 downloads from get.helm.sh. `helm version --short`
// prints `v<version>+g<commit>` (pkg/cmd/version.go).
// renovate: datasource=github-releases depName=helm/helm extractVersion=^v(?<version>.+)$
const HELM_VERSION = '4.2.4';
const helm: ToolPin = {
  name: 'helm',
  version: HELM_VERSION,
  defaultBase: 'https://get.helm.sh',
  assetPath: ({ os, arch }) => `/helm-v${HELM_VERSION}-${os}-${arch}.tar.gz`,
  checksumPath: ({ os, arch }) => `/helm-v${HELM_VERSION}-${os}-${arch}.tar.gz.sha256sum`,
  archiveMember: ({ os, arch }) => `${os}-${arch}/helm`,
  versionArgs: ['version', '--short'],
  parseVersion: (out) => /^v(\d+\.\d+\.\d+[^+\s]*)/m.exec(out)?.[1],
  accepts: exactly(HELM_VERSION),
  manualInstall: 'https://helm.sh/docs/intro/install/',
};

// Flux 2.9.4 is the flux2 release whose bundle (manifests/bases/*/kustomization.yaml) carries
// kustomize-controller 1.9.4, helm-controller 1.6.3 and notification-controller 1.9.3, the render's
// pins; its source-controller is 1.9.4 (1.9.1 shipped only in v2.9.0). fluxcd/flux2 v2.9.4
// .goreleaser.yml: archives `flux_<version>_<os>_<arch>.tar.gz` with only the `flux` binary at the
// root, checksums in `flux_<version>_checksums.txt` (install/flux.sh reads it the same way);
// `flux version --client` prints `flux: v<version>` (cmd/flux/version.go).
// renovate: datasource=github-releases depName=fluxcd/flux2 extractVersion=^v(?<version>.+)$
const FLUX_CLI_VERSION = '2.9.4';
const flux: ToolPin = {
  name: 'flux',
  version: FLUX_CLI_VERSION,
  defaultBase: 'https://github.com/fluxcd/flux2/releases/download',
  assetPath: ({ os, arch }) => `/v${FLUX_CLI_VERSION}/flux_${FLUX_CLI_VERSION}_${os}_${arch}.tar.gz`,
  checksumPath: () => `/v${FLUX_CLI_VERSION}/flux_${FLUX_CLI_VERSION}_checksums.txt`,
  archiveMember: () => 'flux',
  versionArgs: ['version', '--client'],
  parseVersion: (out) => /^flux: v(\d+\.\d+\.\d+\S*)/m.exec(out)?.[1],
  accepts: exactly(FLUX_CLI_VERSION),
  manualInstall: 'https://fluxcd.io/flux/installation/#install-the-flux-cli',
};

export const TOOL_PINS: Readonly<Record<ToolName, ToolPin>> = { kind, kubectl, helm, flux };

/** The OS and CPU the release assets are named after; undefined where upstream ships none we use. */
export function hostTarget(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): Target | undefined {
  const os = platform === 'linux' || platform === 'darwin' ? platform : undefined;
  const cpu = arch === 'x64' ? 'amd64' : arch === 'arm64' ? 'arm64' : undefined;
  return os && cpu ? { os, arch: cpu } : undefined;
}
