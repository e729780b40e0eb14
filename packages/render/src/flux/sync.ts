import type { IKustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization';
import type { IGitRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/GitRepository';
import type { Cluster } from '@meshproof/spec';
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

/** The objects a user applies once (after `flux install`) to point the cluster at their fork. */
export function syncObjects(cluster: Cluster): K8sObject[] {
  const source: IGitRepository = {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name: CLUSTER_SOURCE.name, namespace: FLUX_NAMESPACE },
    spec: {
      interval: '1m',
      url: cluster.git ? fluxGitUrl(cluster.git.url) : PLACEHOLDER_URL,
      ref: { branch: cluster.git?.branch ?? 'main' },
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

export function syncComment(cluster: Cluster): string {
  return cluster.git
    ? `Apply once after \`flux install\`: kubectl apply -k clusters/${cluster.name}/sync`
    : `Template: this cluster has no git url in the spec. Set clusters[].git.url in meshproof.config.ts\n(or replace ${PLACEHOLDER_URL} below), then apply once after \`flux install\`:\nkubectl apply -k clusters/${cluster.name}/sync`;
}
