// Small, shared readers over Kubernetes objects: field access, selectors, pod templates.
import type { ClusterSet, Json, K8sObject, Path } from './model.ts';

export const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const strs = (v: unknown): string[] => list(v).filter((x): x is string => typeof x === 'string');

export function get(v: unknown, path: Path): unknown {
  let cur = v;
  for (const k of path) {
    if (typeof k === 'number') cur = Array.isArray(cur) ? cur[k] : undefined;
    else cur = isObj(cur) ? cur[k] : undefined;
  }
  return cur;
}

export const group = (apiVersion: string): string =>
  apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '';

/** Objects of a kind, optionally only from API groups ending with `groupSuffix`. */
export const ofKind = (c: ClusterSet, kind: string, groupSuffix?: string): K8sObject[] =>
  c.objects.filter(
    (o) => o.kind === kind && (groupSuffix === undefined || group(o.apiVersion).endsWith(groupSuffix)),
  );

export const ref = (o: K8sObject): string => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;

export function matchLabels(want: unknown, labels: Record<string, string>): boolean {
  if (!isObj(want)) return true;
  return Object.entries(want).every(([k, v]) => labels[k] === String(v));
}

/** metav1.LabelSelector semantics (matchLabels + matchExpressions); an empty selector selects all. */
export function matchSelector(selector: unknown, labels: Record<string, string>): boolean {
  if (!isObj(selector)) return true;
  if (!matchLabels(selector.matchLabels, labels)) return false;
  return list(selector.matchExpressions).every((e) => {
    if (!isObj(e)) return true;
    const key = String(e.key);
    const values = strs(e.values);
    const has = Object.hasOwn(labels, key);
    switch (e.operator) {
      case 'In':
        return has && values.includes(labels[key] as string);
      case 'NotIn':
        return !has || !values.includes(labels[key] as string);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}

export interface PodTemplate {
  obj: K8sObject;
  labels: Record<string, string>;
  spec: Json;
  /** Path of the pod spec inside the object. */
  specPath: Path;
}

const TEMPLATE_PATHS: Record<string, Path> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

export function podTemplate(o: K8sObject): PodTemplate | undefined {
  if (o.apiVersion === 'v1' && o.kind === 'Pod') {
    return { obj: o, labels: o.labels, spec: isObj(o.body.spec) ? o.body.spec : {}, specPath: ['spec'] };
  }
  const base = TEMPLATE_PATHS[o.kind];
  if (!base || !['apps/v1', 'batch/v1'].includes(o.apiVersion)) return undefined;
  const tpl = get(o.body, base);
  if (!isObj(tpl)) return undefined;
  const labels = get(tpl, ['metadata', 'labels']);
  return {
    obj: o,
    labels: isObj(labels) ? Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)])) : {},
    spec: isObj(tpl.spec) ? tpl.spec : {},
    specPath: [...base, 'spec'],
  };
}

export const podTemplates = (c: ClusterSet): PodTemplate[] =>
  c.objects.map(podTemplate).filter((t): t is PodTemplate => t !== undefined);

export interface ContainerRef {
  c: Json;
  path: Path;
  init: boolean;
}

export function containers(t: PodTemplate): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const field of ['initContainers', 'containers'] as const) {
    list(t.spec[field]).forEach((c, i) => {
      if (isObj(c)) out.push({ c, path: [...t.specPath, field, i], init: field === 'initContainers' });
    });
  }
  return out;
}

/** Values of every HelmRelease installing `chart` (by chart name or release name), merged shallowly in order. */
export function helmValues(c: ClusterSet, chart: string): Json | undefined {
  const releases = ofKind(c, 'HelmRelease', 'fluxcd.io').filter(
    (o) => get(o.body, ['spec', 'chart', 'spec', 'chart']) === chart || o.name === chart,
  );
  if (releases.length === 0) return undefined;
  return Object.assign({}, ...releases.map((r) => get(r.body, ['spec', 'values']) ?? {})) as Json;
}

/** Workload-carrying namespaces that are the mesh's or the platform's own, not applications'. */
export const SYSTEM_NAMESPACES = new Set([
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'flux-system',
  'istio-system',
  'linkerd',
  'linkerd-viz',
  'cilium',
  'cert-manager',
  'flagger-system',
]);
