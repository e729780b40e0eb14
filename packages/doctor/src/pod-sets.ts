// The pods a cluster will run, as label sets a selector can be tried against: the pod templates of
// the checked files, plus pods something else creates from them (Flagger primaries, chart and operator
// pods) whose labels are only partly known.
import { get, isObj, ofKind, type PodTemplate, podTemplates, releaseValues } from './k8s.ts';
import type { ClusterSet, K8sObject } from './model.ts';

export interface PodSet {
  namespace: string;
  labels: Record<string, string>;
  /** The pods carry at least these labels; other keys are unknown (chart- or operator-made pods). */
  open: boolean;
  /** What makes the pods, for messages: `Deployment shop/web`, `HelmRelease shop/loadtester`. */
  source: string;
}

/** One label requirement of a selector (metav1.LabelSelector, or a plain map: key In [value]). */
export interface Requirement {
  key: string;
  operator: string;
  values: string[];
}

/** Requirements of a metav1.LabelSelector (matchLabels + matchExpressions). */
export function labelSelector(selector: unknown): Requirement[] {
  if (!isObj(selector)) return [];
  const out = matchMap(selector.matchLabels);
  if (Array.isArray(selector.matchExpressions)) {
    for (const e of selector.matchExpressions) {
      if (!isObj(e)) continue;
      const values = Array.isArray(e.values) ? e.values.map(String) : [];
      out.push({ key: String(e.key), operator: String(e.operator), values });
    }
  }
  return out;
}

/** Requirements of a plain label map (Service selector, Istio matchLabels, Sidecar workloadSelector). */
export const matchMap = (map: unknown): Requirement[] =>
  isObj(map) ? Object.entries(map).map(([key, v]) => ({ key, operator: 'In', values: [String(v)] })) : [];

function holds(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = labels[r.key] as string;
  switch (r.operator) {
    case 'In':
      return has && r.values.includes(value);
    case 'NotIn':
      return !has || !r.values.includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      // An unknown operator is the schema checks' finding; here it must not invent a second one.
      return true;
  }
}

/** Whether pods of `set` may carry labels satisfying every requirement. */
export function mayMatch(reqs: Requirement[], set: PodSet): boolean {
  return reqs.every((r) => (set.open && !Object.hasOwn(set.labels, r.key)) || holds(r, set.labels));
}

export const stringMap = (v: unknown): Record<string, string> =>
  isObj(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])) : {};

// Flagger copies a Canary's target to `<target>-primary` and relabels the copy: the first of its
// selector labels (default app, name, app.kubernetes.io/name) the target's selector uses gets
// `<value>-primary` (older releases: `<target name>-primary`). fluxcd/flagger
// pkg/canary/deployment_controller.go (makePrimaryLabels) and the -selector-labels flag.
const FLAGGER_SELECTOR_LABELS = ['app', 'name', 'app.kubernetes.io/name'];

function canaryPrimaries(c: ClusterSet, byName: Map<string, Record<string, string>>): PodSet[] {
  return ofKind(c, 'Canary', 'flagger.app').flatMap((canary) => {
    const name = get(canary.body, ['spec', 'targetRef', 'name']);
    const kind = get(canary.body, ['spec', 'targetRef', 'kind']);
    const labels = byName.get(`${String(kind)}/${canary.namespace}/${String(name)}`);
    if (!labels) return [];
    const key = FLAGGER_SELECTOR_LABELS.find((k) => Object.hasOwn(labels, k));
    if (!key) return [];
    const source = `Canary ${canary.namespace}/${canary.name} (primary of ${String(kind)} ${String(name)})`;
    return [`${labels[key]}-primary`, `${String(name)}-primary`].map((value) => ({
      namespace: canary.namespace,
      labels: { ...labels, [key]: value },
      open: false,
      source,
    }));
  });
}

// Operators that run pods for a custom resource in its namespace, with a label naming the resource
// where it is documented: Istio deploys Gateway API gateways and waypoints labelled
// gateway.networking.k8s.io/gateway-name (istio.io docs, "Gateway API deployment"); the Prometheus
// operator runs Prometheus/Alertmanager/ThanosRuler pods.
const OPERATOR_PODS: { kind: string; group: string; label?: string }[] = [
  { kind: 'Gateway', group: 'gateway.networking.k8s.io', label: 'gateway.networking.k8s.io/gateway-name' },
  { kind: 'Prometheus', group: 'monitoring.coreos.com' },
  { kind: 'Alertmanager', group: 'monitoring.coreos.com' },
  { kind: 'ThanosRuler', group: 'monitoring.coreos.com' },
];

function operatorPods(c: ClusterSet): PodSet[] {
  return OPERATOR_PODS.flatMap(({ kind, group, label }) =>
    ofKind(c, kind, group).map((o) => ({
      namespace: o.namespace,
      labels: label ? { [label]: o.name } : {},
      open: true,
      source: `${kind} ${o.namespace}/${o.name}`,
    })),
  );
}

// A chart's pods carry labels the doctor cannot know without rendering it; `podLabels` (the common
// chart value, used by meshproof's own releases) is the part it can.
function chartPods(c: ClusterSet): PodSet[] {
  return ofKind(c, 'HelmRelease', 'fluxcd.io').map((hr: K8sObject) => ({
    namespace: String(get(hr.body, ['spec', 'targetNamespace']) ?? hr.namespace),
    labels: stringMap(releaseValues(c, hr).podLabels),
    open: true,
    source: `HelmRelease ${hr.namespace}/${hr.name}`,
  }));
}

interface Index {
  all: PodSet[];
  byNamespace: Map<string, PodSet[]>;
  templatesByNamespace: Map<string, PodTemplate[]>;
}

const cache = new WeakMap<ClusterSet, Index>();

function group<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

// Built once per cluster set: selectors are tried object by object, and scanning every pod for each
// one makes a large input quadratic.
function indexOf(c: ClusterSet): Index {
  let ix = cache.get(c);
  if (!ix) {
    const templates = podTemplates(c);
    const byName = new Map(
      templates.map((t) => [`${t.obj.kind}/${t.obj.namespace}/${t.obj.name}`, t.labels]),
    );
    const sets: PodSet[] = [
      ...templates.map((t) => ({
        namespace: t.obj.namespace,
        labels: t.labels,
        open: false,
        source: `${t.obj.kind} ${t.obj.namespace}/${t.obj.name}`,
      })),
      ...canaryPrimaries(c, byName),
      ...operatorPods(c),
      ...chartPods(c),
    ];
    ix = {
      all: sets,
      byNamespace: group(sets, (s) => s.namespace),
      templatesByNamespace: group(templates, (t) => t.obj.namespace),
    };
    cache.set(c, ix);
  }
  return ix;
}

/** Every pod set of the cluster. */
export const podSets = (c: ClusterSet): PodSet[] => indexOf(c).all;

/** The pod sets of one namespace. */
export const podSetsIn = (c: ClusterSet, ns: string): PodSet[] => indexOf(c).byNamespace.get(ns) ?? [];

/** The pod templates of the checked files in one namespace. */
export const templatesIn = (c: ClusterSet, ns: string): PodTemplate[] =>
  indexOf(c).templatesByNamespace.get(ns) ?? [];
