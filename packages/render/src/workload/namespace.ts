import type { INamespace } from 'kubernetes-models/v1/Namespace';
import { PRUNE_DISABLED } from '../flux/annotations.ts';
import type { Metadata } from '../model.ts';

export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

/**
 * A namespace with Pod Security admission enforced. Namespaces are never pruned by Flux: deleting one
 * would delete everything in it when a file is moved.
 */
export function namespace(name: string, level: PodSecurityLevel, extra?: Metadata): INamespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: {
        ...extra?.labels,
        'pod-security.kubernetes.io/enforce': level,
        'pod-security.kubernetes.io/audit': level,
        'pod-security.kubernetes.io/warn': level,
      },
      annotations: { ...extra?.annotations, ...PRUNE_DISABLED },
    },
  };
}
