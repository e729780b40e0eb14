// Kubernetes itself: API versions the pinned Kubernetes (1.35) no longer serves, and workload
// selectors the API server rejects because they do not select the workload's own template.
import { get, group, isObj, list, matchSelector, podTemplates } from '../k8s.ts';
import type { Check, ClusterSet, Issue, K8sObject, Path } from '../model.ts';

// group/version -> Kubernetes release that stopped serving it (Kubernetes deprecated API migration
// guide, kubernetes.io/docs/reference/using-api/deprecation-guide). Kinds that moved: a removed
// version is refused whatever the kind, except in groups where later releases brought the same
// version back for new kinds; there only the kinds listed were removed.
interface Removal {
  release: string;
  /** Only these kinds were removed from the version (it still exists, or came back, for others). */
  kinds?: Set<string>;
}

const REMOVED: Record<string, Removal> = {
  'extensions/v1beta1': { release: '1.22 (workloads, NetworkPolicy and PodSecurityPolicy 1.16)' },
  'apps/v1beta1': { release: '1.16' },
  'apps/v1beta2': { release: '1.16' },
  // IPAddress and ServiceCIDR arrived in networking.k8s.io/v1beta1 in 1.31.
  'networking.k8s.io/v1beta1': { release: '1.22', kinds: new Set(['Ingress', 'IngressClass']) },
  'rbac.authorization.k8s.io/v1beta1': { release: '1.22' },
  'apiextensions.k8s.io/v1beta1': { release: '1.22' },
  // ValidatingAdmissionPolicy (1.28) and MutatingAdmissionPolicy (1.34) reused v1beta1.
  'admissionregistration.k8s.io/v1beta1': {
    release: '1.22',
    kinds: new Set(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']),
  },
  'apiregistration.k8s.io/v1beta1': { release: '1.22' },
  // SelfSubjectReview was served as v1beta1 in 1.27.
  'authentication.k8s.io/v1beta1': { release: '1.22', kinds: new Set(['TokenReview']) },
  'authorization.k8s.io/v1beta1': { release: '1.22' },
  // ClusterTrustBundle arrived in certificates.k8s.io/v1beta1 in 1.33.
  'certificates.k8s.io/v1beta1': { release: '1.22', kinds: new Set(['CertificateSigningRequest']) },
  // LeaseCandidate arrived in coordination.k8s.io/v1beta1 in 1.33.
  'coordination.k8s.io/v1beta1': { release: '1.22', kinds: new Set(['Lease']) },
  'scheduling.k8s.io/v1beta1': { release: '1.22' },
  'batch/v1beta1': { release: '1.25' },
  'batch/v2alpha1': { release: '1.21' },
  'discovery.k8s.io/v1beta1': { release: '1.25' },
  'events.k8s.io/v1beta1': { release: '1.25' },
  'node.k8s.io/v1beta1': { release: '1.25' },
  'policy/v1beta1': { release: '1.25' },
  'autoscaling/v2beta1': { release: '1.25' },
  'autoscaling/v2beta2': { release: '1.26' },
  'flowcontrol.apiserver.k8s.io/v1beta1': { release: '1.26' },
  'flowcontrol.apiserver.k8s.io/v1beta2': { release: '1.29' },
  'flowcontrol.apiserver.k8s.io/v1beta3': { release: '1.32' },
  'settings.k8s.io/v1alpha1': { release: '1.20' },
  // storage.k8s.io/v1beta1 still serves VolumeAttributesClass.
  'storage.k8s.io/v1beta1': {
    release: '1.22 (CSIStorageCapacity 1.27)',
    kinds: new Set(['CSIStorageCapacity', 'StorageClass', 'VolumeAttachment', 'CSIDriver', 'CSINode']),
  },
};

function removedApis(c: ClusterSet): Issue[] {
  return c.objects.flatMap((o) => {
    const removal = REMOVED[o.apiVersion];
    if (!removal || (removal.kinds && !removal.kinds.has(o.kind))) return [];
    return [
      {
        obj: o,
        path: ['apiVersion'],
        message: `${o.kind} ${o.apiVersion} was removed in Kubernetes ${removal.release}; the API server refuses it`,
      },
    ];
  });
}

const SELECTING = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);
// Versions that defaulted a missing selector from the template labels; KUB001 refuses them anyway.
const DEFAULTED_SELECTOR = new Set(['extensions/v1beta1', 'apps/v1beta1']);

function selectorIssue(obj: K8sObject, at: Path, selector: unknown, labels: Record<string, string>): Issue[] {
  if (matchSelector(selector, labels)) return [];
  return [
    {
      obj,
      path: at,
      message: `${at.join('.')} of ${obj.kind} ${obj.name} does not match its template's labels; the API server rejects it`,
    },
  ];
}

function selectorMismatch(c: ClusterSet): Issue[] {
  return podTemplates(c).flatMap((t) => {
    const o = t.obj;
    // ReplicationController: a plain label map, defaulted from the template labels when absent.
    if (o.kind === 'ReplicationController' && o.apiVersion === 'v1') {
      const selector = get(o.body, ['spec', 'selector']);
      return isObj(selector) && Object.keys(selector).length > 0
        ? selectorIssue(o, ['spec', 'selector'], { matchLabels: selector }, t.labels)
        : [];
    }
    // The API server generates the selector of every Job a CronJob creates and refuses a Job template
    // that sets one or sets manualSelector: true (kubernetes/kubernetes pkg/apis/batch/validation,
    // ValidateJobTemplateSpec).
    if (o.kind === 'CronJob' && group(o.apiVersion) === 'batch') {
      const job = ['spec', 'jobTemplate', 'spec'];
      const field = get(o.body, [...job, 'selector']) !== undefined ? 'selector' : 'manualSelector';
      if (field === 'manualSelector' && get(o.body, [...job, field]) !== true) return [];
      return [
        {
          obj: o,
          path: [...job, field],
          message: `CronJob ${o.name} sets spec.jobTemplate.spec.${field}; the API server refuses it (it generates the selector of each Job)`,
        },
      ];
    }
    if (!SELECTING.has(o.kind) || !['apps', 'batch', 'extensions'].includes(group(o.apiVersion))) return [];
    const selector = get(o.body, ['spec', 'selector']);
    // Jobs generate their selector unless manualSelector is true, and then need one (reported as
    // missing below); the other kinds require one.
    if (o.kind === 'Job' && get(o.body, ['spec', 'manualSelector']) !== true) return [];
    // A selector without labels or expressions selects everything, which the API server refuses
    // ("empty selector is invalid"), like a missing one.
    if (
      !isObj(selector) ||
      (Object.keys(isObj(selector.matchLabels) ? selector.matchLabels : {}).length === 0 &&
        list(selector.matchExpressions).length === 0)
    )
      return DEFAULTED_SELECTOR.has(o.apiVersion)
        ? []
        : [{ obj: o, path: ['spec'], message: `${o.kind} ${o.name} has no spec.selector` }];
    return selectorIssue(o, ['spec', 'selector'], selector, t.labels);
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
      "A Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController (or a Job with manualSelector) whose selector is missing or does not match its own pod template's labels is rejected by the API server (kube-linter mismatching-selector), and so is a CronJob whose job template sets a selector or manualSelector: true.",
    hint: 'Make spec.selector.matchLabels a subset of spec.template.metadata.labels.',
    run: ({ cluster }) => selectorMismatch(cluster),
  },
];
