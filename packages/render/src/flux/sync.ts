import type { IKustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization';
import type { IGitRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/GitRepository';
import type { Cluster, Platform } from '@meshproof/spec';
import { FLUX_DIR, repoPath } from '../layout.ts';
import type { K8sObject } from '../model.ts';
import { FLUX_NAMESPACE } from './annotations.ts';
import { CLUSTER_SOURCE } from './source.ts';

export const PLACEHOLDER_URL = 'https://github.com/YOUR-ORG/YOUR-FORK';

/** Flux's GitRepository accepts only http(s):// and ssh:// URLs; rewrite scp-style git@host:path. */
export function fluxGitUrl(url: string): string {
  const scp = /^git@([^:]+):(.+)$/.exec(url);
  return scp ? `ssh://git@${scp[1]}/${scp[2]}` : url;
}

/** The cluster's Git source: its own, else the platform-wide one, else none (the template). */
export const gitSourceOf = (platform: Platform, cluster: Cluster) => cluster.git ?? platform.git;

/** The objects a user applies once (after `flux install`) to point the cluster at their fork. */
export function syncObjects(platform: Platform, cluster: Cluster): K8sObject[] {
  const git = gitSourceOf(platform, cluster);
  const source: IGitRepository = {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name: CLUSTER_SOURCE.name, namespace: FLUX_NAMESPACE },
    spec: {
      interval: '1m',
      url: git ? fluxGitUrl(git.url) : PLACEHOLDER_URL,
      ref: { branch: git?.branch ?? 'main' },
      // A private fork: the Secret the user creates in flux-system (see README "Fork it").
      ...(git?.secretName ? { secretRef: { name: git.secretName } } : {}),
      // Only rendered manifests are deployed; the TypeScript workspace stays out of the artifact.
      ignore: '/*\n!/clusters/\n',
    },
  };
  const root: IKustomization = {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'flux-system', namespace: FLUX_NAMESPACE },
    spec: { interval: '10m', path: repoPath(cluster.name, FLUX_DIR), prune: true, sourceRef: CLUSTER_SOURCE },
  };
  return [source, root];
}

// Every instruction points at the spec: this file is rendered, never edited.
export function syncComment(platform: Platform, cluster: Cluster): string {
  const git = gitSourceOf(platform, cluster);
  const apply = `kubectl apply -k clusters/${cluster.name}/sync`;
  if (!git)
    return `No Git source in the spec yet: set git (or clusters[].git) in meshproof.config.ts and run\n\`./dev meshproof render\`; README "Fork it" walks through it. Then, after \`flux install\`: ${apply}`;
  const secret = git.secretName
    ? `create the Secret ${FLUX_NAMESPACE}/${git.secretName} with the repository's credentials (README "Fork it"), then `
    : '';
  return `Apply once after \`flux install\`: ${secret}${apply}`;
}
