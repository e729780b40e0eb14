// Small, shared readers over Kubernetes objects: field access, selectors, pod templates.
import { parse } from 'yaml';
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

interface Index {
  byKind: Map<string, K8sObject[]>;
  byName: Map<string, K8sObject[]>;
  templates: PodTemplate[];
}

// Lookups by kind and by kind/namespace/name, built once per cluster set: checks ask them for every
// object, and a linear scan each time makes a large input quadratic.
const indexes = new WeakMap<ClusterSet, Index>();
const nameKey = (kind: string, ns: string, name: string): string => `${kind}\0${ns}\0${name}`;

function index(c: ClusterSet): Index {
  let ix = indexes.get(c);
  if (!ix) {
    const byKind = new Map<string, K8sObject[]>();
    const byName = new Map<string, K8sObject[]>();
    for (const o of c.objects) {
      const sameKind = byKind.get(o.kind);
      if (sameKind) sameKind.push(o);
      else byKind.set(o.kind, [o]);
      const k = nameKey(o.kind, o.namespace, o.name);
      const named = byName.get(k);
      if (named) named.push(o);
      else byName.set(k, [o]);
    }
    const templates = c.objects.map(podTemplate).filter((t): t is PodTemplate => t !== undefined);
    ix = { byKind, byName, templates };
    indexes.set(c, ix);
  }
  return ix;
}

/** Objects of a kind, optionally only from API groups ending with `groupSuffix`. */
export const ofKind = (c: ClusterSet, kind: string, groupSuffix?: string): K8sObject[] =>
  (index(c).byKind.get(kind) ?? []).filter(
    (o) => groupSuffix === undefined || group(o.apiVersion).endsWith(groupSuffix),
  );

/** Objects of `kind` named `ns/name` (cluster-scoped kinds: ns ''). */
export const named = (c: ClusterSet, kind: string, ns: string, name: unknown): K8sObject[] =>
  typeof name === 'string' ? (index(c).byName.get(nameKey(kind, ns, name)) ?? []) : [];

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

// Where pod templates sit: Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, ReplicationController and
// workload CRDs built the same way (spec.template); CronJob (spec.jobTemplate.spec.template); v1 PodTemplate
// (template). A template counts only when it holds a containers list, so a `template` field of another
// meaning is not taken for pods.
const TEMPLATE_PATHS: Path[] = [
  ['spec', 'template'],
  ['spec', 'jobTemplate', 'spec', 'template'],
  ['template'],
];

export function podTemplate(o: K8sObject): PodTemplate | undefined {
  if (o.apiVersion === 'v1' && o.kind === 'Pod') {
    return { obj: o, labels: o.labels, spec: isObj(o.body.spec) ? o.body.spec : {}, specPath: ['spec'] };
  }
  const base = TEMPLATE_PATHS.find((p) => Array.isArray(get(o.body, [...p, 'spec', 'containers'])));
  if (!base) return undefined;
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

export const podTemplates = (c: ClusterSet): PodTemplate[] => index(c).templates;

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

function deepMerge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over))
    out[k] = isObj(v) && isObj(out[k]) ? deepMerge(out[k] as Json, v) : v;
  return out;
}

/** The text under `key` of a ConfigMap (data) or Secret (stringData, or base64 data). */
function referencedText(o: K8sObject, key: string): string | undefined {
  const plain = get(o.body, ['data', key]) ?? get(o.body, ['stringData', key]);
  if (o.kind === 'Secret' && get(o.body, ['stringData', key]) === undefined && typeof plain === 'string') {
    return Buffer.from(plain, 'base64').toString('utf8');
  }
  return typeof plain === 'string' ? plain : undefined;
}

/** A HelmRelease's effective values: valuesFrom (ConfigMaps/Secrets in this cluster) in order, then spec.values. */
export function releaseValues(c: ClusterSet, hr: K8sObject): Json {
  let values: Json = {};
  for (const ref of list(get(hr.body, ['spec', 'valuesFrom']))) {
    const source = named(c, String(get(ref, ['kind'])), hr.namespace, get(ref, ['name']))[0];
    const text = source && referencedText(source, String(get(ref, ['valuesKey']) ?? 'values.yaml'));
    if (text === undefined) continue;
    try {
      const parsed = parse(text) as unknown;
      if (isObj(parsed)) values = deepMerge(values, parsed);
    } catch {
      // A values file that does not parse is Helm's error to report, not a reason to stop checking.
    }
  }
  const inline = get(hr.body, ['spec', 'values']);
  return isObj(inline) ? deepMerge(values, inline) : values;
}

/** HelmReleases installing `chart` (by chart name or release name). */
export const releasesOf = (c: ClusterSet, chart: string): K8sObject[] =>
  ofKind(c, 'HelmRelease', 'fluxcd.io').filter(
    (o) => get(o.body, ['spec', 'chart', 'spec', 'chart']) === chart || o.name === chart,
  );

/** Effective values of every HelmRelease installing `chart`, merged in order; undefined without one. */
export function helmValues(c: ClusterSet, chart: string): Json | undefined {
  const releases = releasesOf(c, chart);
  if (releases.length === 0) return undefined;
  return releases.reduce<Json>((acc, r) => deepMerge(acc, releaseValues(c, r)), {});
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
