// Objects and pod templates grouped by namespace, built once per cluster set: checks that pair each
// template with the Services/PDBs/Servers of its namespace would otherwise scan every object per template.
import { ofKind, type PodTemplate, podTemplates } from './k8s.ts';
import type { ClusterSet, K8sObject } from './model.ts';

const cache = new WeakMap<ClusterSet, Map<string, Map<string, unknown[]>>>();

function grouped<T>(c: ClusterSet, key: string, items: () => T[], nsOf: (x: T) => string): Map<string, T[]> {
  let perSet = cache.get(c);
  if (!perSet) {
    perSet = new Map();
    cache.set(c, perSet);
  }
  let groups = perSet.get(key) as Map<string, T[]> | undefined;
  if (!groups) {
    groups = new Map();
    for (const x of items()) {
      const ns = nsOf(x);
      const g = groups.get(ns);
      if (g) g.push(x);
      else groups.set(ns, [x]);
    }
    perSet.set(key, groups as Map<string, unknown[]>);
  }
  return groups;
}

/** Pod templates of workloads in `ns`. */
export const templatesIn = (c: ClusterSet, ns: string): PodTemplate[] =>
  grouped(
    c,
    '\0templates',
    () => podTemplates(c),
    (t) => t.obj.namespace,
  ).get(ns) ?? [];

/** Objects of `kind` (API group ending with `groupSuffix`, when given) in `ns`. */
export const ofKindIn = (c: ClusterSet, kind: string, ns: string, groupSuffix?: string): K8sObject[] =>
  grouped(
    c,
    `${kind}\0${groupSuffix ?? ''}`,
    () => ofKind(c, kind, groupSuffix),
    (o) => o.namespace,
  ).get(ns) ?? [];
