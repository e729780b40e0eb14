// Test helpers shared by the policy models of every mesh (<mesh>/test-model.ts): the pods a rendered
// cluster runs, label selector semantics, and one request between two pods.
import { PROBE_NAMES } from '@meshproof/spec';
import { FLAGGER_POD_LABELS, FLAGGER_SERVICE_ACCOUNT, LOADTESTER_POD_LABELS } from './flagger/loadtester.ts';
import { FLAGGER_NAMESPACE } from './flagger/release.ts';
import type { K8sObject } from './model.ts';
import {
  MONITORING_NAMESPACE,
  OTEL_COLLECTOR_POD_LABELS,
  PROMETHEUS_POD_LABELS,
  PROMETHEUS_SERVICE_ACCOUNT,
} from './observability/endpoints.ts';
import { APP_LABEL, LOADTESTER } from './workload/names.ts';

export type Labels = Record<string, string>;
type Expr = { key: string; operator: string; values?: string[] };
export type Selector = { matchLabels?: Labels; matchExpressions?: Expr[] };
// biome-ignore lint/suspicious/noExplicitAny: rendered objects are inspected as plain YAML data.
export type Obj = K8sObject & { spec?: any; data?: unknown };

export interface Pod {
  namespace: string;
  labels: Labels;
  /** The ServiceAccount the pod runs as: the identity every mesh authenticates. */
  serviceAccount?: string;
  /** For messages: `<namespace>/<app label or name>`. */
  name?: string;
}

/** One request: `from` opens TCP `port` on `to` and sends `method path` over it. */
export interface Request {
  from: Pod;
  to: Pod;
  port: number;
  method: string;
  path: string;
}

/** Label selector semantics (matchLabels and matchExpressions); `key` maps selector keys to label keys. */
export function selects(sel: Selector | undefined, labels: Labels, key = (k: string) => k): boolean {
  if (sel === undefined) return true;
  const value = (k: string) => labels[key(k)];
  const byLabels = Object.entries(sel.matchLabels ?? {}).every(([k, v]) => value(k) === v);
  const byExprs = (sel.matchExpressions ?? []).every((e) => {
    const v = value(e.key);
    if (e.operator === 'In') return v !== undefined && (e.values ?? []).includes(v);
    if (e.operator === 'NotIn') return v === undefined || !(e.values ?? []).includes(v);
    if (e.operator === 'Exists') return v !== undefined;
    if (e.operator === 'DoesNotExist') return v === undefined;
    throw new Error(`unknown operator ${e.operator}`);
  });
  return byLabels && byExprs;
}

/** The app pods: one per rendered Deployment carrying the app label, as its pod template describes it. */
export function appPods(all: Obj[]): (Pod & { port?: number; env: { name: string; value?: string }[] })[] {
  return all
    .filter((o) => o.kind === 'Deployment' && o.spec.template.metadata.labels?.[APP_LABEL] !== undefined)
    .map((d) => {
      const labels = d.spec.template.metadata.labels;
      const containers = d.spec.template.spec.containers as {
        env?: { name: string; value?: string }[];
        ports?: { containerPort: number }[];
      }[];
      return {
        namespace: d.metadata?.namespace ?? '',
        labels,
        serviceAccount: d.spec.template.spec.serviceAccountName,
        name: `${d.metadata?.namespace}/${labels[APP_LABEL]}`,
        port: containers.flatMap((c) => c.ports ?? [])[0]?.containerPort,
        env: containers.flatMap((c) => c.env ?? []),
      };
    });
}

// Pods of charts (their labels and ServiceAccounts are pinned where the render names them).
export const prometheusPod: Pod = {
  namespace: MONITORING_NAMESPACE,
  labels: { ...PROMETHEUS_POD_LABELS },
  serviceAccount: PROMETHEUS_SERVICE_ACCOUNT,
  name: 'prometheus',
};
export const flaggerPod: Pod = {
  namespace: FLAGGER_NAMESPACE,
  labels: { ...FLAGGER_POD_LABELS },
  serviceAccount: FLAGGER_SERVICE_ACCOUNT,
  name: 'flagger',
};
/** The OpenTelemetry collector, which apps export spans to when tracing is on. */
export const collectorPod: Pod = {
  namespace: MONITORING_NAMESPACE,
  labels: { ...OTEL_COLLECTOR_POD_LABELS },
  serviceAccount: 'otel-collector',
  name: 'otel-collector',
};
export const loadtesterPod = (namespace: string): Pod => ({
  namespace,
  labels: { ...LOADTESTER_POD_LABELS, app: 'loadtester' },
  serviceAccount: LOADTESTER,
  name: `${namespace}/${LOADTESTER}`,
});
/** The e2e wrong-identity probe: a pod of its own in an app namespace (harness probes/workloads.ts). */
export const strangerPod = (namespace: string): Pod => ({
  namespace,
  labels: { [APP_LABEL]: PROBE_NAMES.stranger },
  serviceAccount: PROBE_NAMES.stranger,
  name: `${namespace}/${PROBE_NAMES.stranger}`,
});
/** A workload the spec does not know: nothing may admit it. */
export const intruderPod = (namespace: string): Pod => ({
  namespace,
  labels: { [APP_LABEL]: 'intruder', app: 'intruder' },
  serviceAccount: 'intruder',
  name: `${namespace}/intruder`,
});

export const requestName = (r: Request) => `${r.from.name} -> ${r.to.name}:${r.port} ${r.method} ${r.path}`;
