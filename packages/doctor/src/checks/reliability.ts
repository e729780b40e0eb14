// Availability during node drains and upgrades (Polaris reliability checks, kube-linter pdb-* and
// no-anti-affinity): a PodDisruptionBudget that allows no eviction, and workloads running several
// replicas without a budget or without spreading them apart.
import { get, matchSelector, ofKind, type PodTemplate, podTemplates } from '../k8s.ts';
import type { Check, ClusterSet, Issue, K8sObject } from '../model.ts';
import { ofKindIn, templatesIn } from '../namespaced.ts';

const SCALED = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);

/** The fewest replicas a workload runs: an HPA's minReplicas (default 1) when one targets it, else spec.replicas (default 1). */
function minReplicas(c: ClusterSet, t: PodTemplate): number {
  const hpa = ofKindIn(c, 'HorizontalPodAutoscaler', t.obj.namespace).find(
    (h) =>
      get(h.body, ['spec', 'scaleTargetRef', 'kind']) === t.obj.kind &&
      get(h.body, ['spec', 'scaleTargetRef', 'name']) === t.obj.name,
  );
  const n = hpa
    ? (get(hpa.body, ['spec', 'minReplicas']) ?? 1)
    : (get(t.obj.body, ['spec', 'replicas']) ?? 1);
  return typeof n === 'number' ? n : 1;
}

const scaled = (c: ClusterSet): PodTemplate[] => podTemplates(c).filter((t) => SCALED.has(t.obj.kind));

const selectedBy = (c: ClusterSet, pdb: K8sObject): PodTemplate[] =>
  templatesIn(c, pdb.namespace).filter(
    (t) => SCALED.has(t.obj.kind) && matchSelector(get(pdb.body, ['spec', 'selector']), t.labels),
  );

const percent = (v: unknown): number | undefined =>
  typeof v === 'string' && /^\d+%$/.test(v) ? Number(v.slice(0, -1)) : undefined;

function blockingBudgets(c: ClusterSet): Issue[] {
  const out: Issue[] = [];
  for (const pdb of ofKind(c, 'PodDisruptionBudget', 'policy')) {
    const maxUnavailable = get(pdb.body, ['spec', 'maxUnavailable']);
    const minAvailable = get(pdb.body, ['spec', 'minAvailable']);
    if (maxUnavailable === 0 || percent(maxUnavailable) === 0) {
      out.push({
        obj: pdb,
        path: ['spec', 'maxUnavailable'],
        message: `PodDisruptionBudget ${pdb.namespace}/${pdb.name} sets maxUnavailable ${String(maxUnavailable)}: no pod can ever be evicted, so node drains hang`,
      });
      continue;
    }
    if (percent(minAvailable) === 100) {
      out.push({
        obj: pdb,
        path: ['spec', 'minAvailable'],
        message: `PodDisruptionBudget ${pdb.namespace}/${pdb.name} sets minAvailable 100%: no pod can ever be evicted, so node drains hang`,
      });
      continue;
    }
    if (typeof minAvailable !== 'number') continue;
    for (const t of selectedBy(c, pdb)) {
      const replicas = minReplicas(c, t);
      if (minAvailable >= replicas)
        out.push({
          obj: pdb,
          path: ['spec', 'minAvailable'],
          message: `PodDisruptionBudget ${pdb.namespace}/${pdb.name} keeps minAvailable ${minAvailable} of ${t.obj.kind} ${t.obj.name}, which runs ${replicas} replica(s): none can be evicted, so node drains hang`,
        });
    }
  }
  return out;
}

function unbudgeted(c: ClusterSet): Issue[] {
  return scaled(c).flatMap((t) => {
    const replicas = minReplicas(c, t);
    if (replicas < 2) return [];
    const covered = ofKindIn(c, 'PodDisruptionBudget', t.obj.namespace, 'policy').some((p) =>
      matchSelector(get(p.body, ['spec', 'selector']), t.labels),
    );
    return covered
      ? []
      : [
          {
            obj: t.obj,
            path: ['metadata', 'name'],
            message: `${t.obj.kind} ${t.obj.name} runs ${replicas}+ replicas and no PodDisruptionBudget selects its pods: a drain may evict them all at once`,
          },
        ];
  });
}

function unspread(c: ClusterSet): Issue[] {
  return scaled(c).flatMap((t) => {
    const replicas = minReplicas(c, t);
    if (replicas < 2) return [];
    const spread =
      get(t.spec, ['affinity', 'podAntiAffinity']) !== undefined ||
      get(t.spec, ['topologySpreadConstraints']) !== undefined;
    return spread
      ? []
      : [
          {
            obj: t.obj,
            path: [...t.specPath, 'affinity'],
            message: `${t.obj.kind} ${t.obj.name} runs ${replicas}+ replicas with neither podAntiAffinity nor topologySpreadConstraints: they may all land on one node`,
          },
        ];
  });
}

export const reliabilityChecks: Check[] = [
  {
    id: 'REL001',
    severity: 'warning',
    title: 'PodDisruptionBudget allows no eviction',
    description:
      'A PodDisruptionBudget with maxUnavailable 0 (or 0%), minAvailable 100%, or a minAvailable at least the replicas (HPA minReplicas) of a workload it selects never allows an eviction: node drains and cluster upgrades hang (Polaris pdbDisruptionsIsZero, kube-linter pdb-max-unavailable / pdb-min-available).',
    hint: 'Use maxUnavailable: 1 (or a minAvailable below the replica count).',
    run: ({ cluster }) => blockingBudgets(cluster),
  },
  {
    id: 'REL002',
    opinion: true,
    severity: 'warning',
    title: 'Replicated workload without a PodDisruptionBudget',
    description:
      'A Deployment/StatefulSet running two or more replicas (spec.replicas or HPA minReplicas) with no PodDisruptionBudget selecting its pods can lose all of them in one drain (Polaris missingPodDisruptionBudget, applied where a budget can help).',
    hint: 'Add a PodDisruptionBudget with maxUnavailable: 1 selecting the pods.',
    run: ({ cluster }) => unbudgeted(cluster),
  },
  {
    id: 'REL003',
    opinion: true,
    severity: 'warning',
    title: 'Replicated workload not spread across nodes',
    description:
      'A Deployment/StatefulSet running two or more replicas without podAntiAffinity or topologySpreadConstraints may be scheduled onto one node and fail as one (kube-linter no-anti-affinity, Polaris topologySpreadConstraint).',
    hint: 'Add a topologySpreadConstraint on kubernetes.io/hostname (whenUnsatisfiable: ScheduleAnyway keeps single-node clusters working).',
    run: ({ cluster }) => unspread(cluster),
  },
];
