// Kubernetes itself: API versions the pinned Kubernetes (1.35) no longer serves, and workload
// selectors the API server rejects because they do not select the workload's own template.
import { get, group, isObj, list, matchSelector, podTemplates } from '../k8s.ts';
import type { Check, ClusterSet, Issue } from '../model.ts';

// group/version -> Kubernetes release that stopped serving it (Kubernetes deprecated API migration
// guide). Kinds that moved: a removed version is refused whatever the kind.
const REMOVED: Record<string, string> = {
  'extensions/v1beta1': '1.22 (workloads 1.16)',
  'apps/v1beta1': '1.16',
  'apps/v1beta2': '1.16',
  'networking.k8s.io/v1beta1': '1.22',
  'rbac.authorization.k8s.io/v1beta1': '1.22',
  'apiextensions.k8s.io/v1beta1': '1.22',
  'admissionregistration.k8s.io/v1beta1': '1.22',
  'apiregistration.k8s.io/v1beta1': '1.22',
  'authentication.k8s.io/v1beta1': '1.22',
  'authorization.k8s.io/v1beta1': '1.22',
  'certificates.k8s.io/v1beta1': '1.22',
  'coordination.k8s.io/v1beta1': '1.22',
  'scheduling.k8s.io/v1beta1': '1.22',
  'batch/v1beta1': '1.25',
  'discovery.k8s.io/v1beta1': '1.25',
  'events.k8s.io/v1beta1': '1.25',
  'node.k8s.io/v1beta1': '1.25',
  'policy/v1beta1': '1.25',
  'autoscaling/v2beta1': '1.25',
  'autoscaling/v2beta2': '1.26',
  'flowcontrol.apiserver.k8s.io/v1beta1': '1.26',
  'flowcontrol.apiserver.k8s.io/v1beta2': '1.29',
  'flowcontrol.apiserver.k8s.io/v1beta3': '1.32',
  'storage.k8s.io/v1beta1': '1.27 (CSIStorageCapacity)',
};
// storage.k8s.io/v1beta1 still serves VolumeAttributesClass; only the kinds below were removed there.
const REMOVED_STORAGE_KINDS = new Set([
  'CSIStorageCapacity',
  'StorageClass',
  'VolumeAttachment',
  'CSIDriver',
  'CSINode',
]);

function removedApis(c: ClusterSet): Issue[] {
  return c.objects.flatMap((o) => {
    const when = REMOVED[o.apiVersion];
    if (!when || (o.apiVersion === 'storage.k8s.io/v1beta1' && !REMOVED_STORAGE_KINDS.has(o.kind))) return [];
    return [
      {
        obj: o,
        path: ['apiVersion'],
        message: `${o.kind} ${o.apiVersion} was removed in Kubernetes ${when}; the API server refuses it`,
      },
    ];
  });
}

const SELECTING = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

function selectorMismatch(c: ClusterSet): Issue[] {
  return podTemplates(c).flatMap((t) => {
    if (!SELECTING.has(t.obj.kind) || !['apps', 'batch', 'extensions'].includes(group(t.obj.apiVersion)))
      return [];
    const selector = get(t.obj.body, ['spec', 'selector']);
    // Jobs generate their selector unless manualSelector is set; the other kinds require one.
    if (
      t.obj.kind === 'Job' &&
      (selector === undefined || get(t.obj.body, ['spec', 'manualSelector']) !== true)
    )
      return [];
    if (
      !isObj(selector) ||
      (Object.keys(selector).length === 0 && list(selector.matchExpressions).length === 0)
    )
      return [{ obj: t.obj, path: ['spec'], message: `${t.obj.kind} ${t.obj.name} has no spec.selector` }];
    if (matchSelector(selector, t.labels)) return [];
    return [
      {
        obj: t.obj,
        path: ['spec', 'selector'],
        message: `spec.selector of ${t.obj.kind} ${t.obj.name} does not match its template's labels; the API server rejects it`,
      },
    ];
  });
}

export const kubernetesChecks: Check[] = [
  {
    id: 'KUB001',
    severity: 'error',
    title: 'API version removed from Kubernetes',
    description:
      'The apiVersion is no longer served by the Kubernetes version meshproof pins (1.35), e.g. extensions/v1beta1 Deployments or policy/v1beta1 PodDisruptionBudgets; applying it fails.',
    hint: 'Move to the current version (apps/v1, batch/v1, policy/v1, autoscaling/v2, networking.k8s.io/v1, …) and adjust the fields that changed.',
    run: ({ cluster }) => removedApis(cluster),
  },
  {
    id: 'KUB002',
    severity: 'error',
    title: 'Workload selector does not match its template',
    description:
      "A Deployment, StatefulSet, DaemonSet, ReplicaSet (or a Job with manualSelector) whose spec.selector is missing or does not match its own pod template's labels is rejected by the API server (kube-linter mismatching-selector).",
    hint: 'Make spec.selector.matchLabels a subset of spec.template.metadata.labels.',
    run: ({ cluster }) => selectorMismatch(cluster),
  },
];
