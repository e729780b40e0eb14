// The zero-trust proof as runner steps (step.ts), per cluster, after Flux reports the apps Ready:
// add the probe workloads, wait for them, probe each target in matrix order, and remove the probe
// workloads whatever happened. Every `kubectl exec` the probes run is in the plan, argv for argv.
import { meshPlugin } from '@meshproof/render';
import type { Cluster, Platform } from '@meshproof/spec';
import {
  type Json,
  type KubeAction,
  type KubeTarget,
  type ObjectRef,
  type PlannedProbe,
  type Step,
  step,
  task,
} from '../step.ts';
import { type Probe, probeMatrix, probeWorkloads } from './matrix.ts';
import { PROBE_RETRY, type ProbeRetry } from './prove.ts';
import { probeWorkloadObjects } from './workloads.ts';

export const ZERO_TRUST_PROBES = 'zero-trust-probes';

/** Where the demo images keep the client (apps/images/Dockerfile). */
export const PROBE_CLIENT = ['/nodejs/bin/node', '/app/probe.mjs'] as const;

/** How a probe pod may take to start: pulling is not needed (kind load), injection and CNI are. */
const WORKLOAD_READY_MS = 3 * 60_000;
// kubectl exec itself (API server round trip, stream set-up) on top of the client's own deadline.
const EXEC_SLACK_MS = 15_000;

/** `kubectl` global flags that select the cluster. */
export const kubectlTarget = (t: KubeTarget): string[] => [
  ...(t.kubeconfig ? ['--kubeconfig', t.kubeconfig] : []),
  '--context',
  t.context,
];

/** The command that sends `probe` from inside its caller's pod. */
export function probeArgv(probe: Probe, target: KubeTarget, timeoutMs: number): ['kubectl', ...string[]] {
  const { namespace, target: workload, container } = probe.source;
  return [
    'kubectl',
    ...kubectlTarget(target),
    'exec',
    '-n',
    namespace,
    workload,
    '-c',
    container,
    '--',
    ...PROBE_CLIENT,
    '--method',
    probe.method,
    '--url',
    probe.url,
    '--timeout-ms',
    String(timeoutMs),
  ];
}

export const plannedProbe = (p: Probe): PlannedProbe => ({
  id: p.id,
  from: p.from,
  to: p.to,
  method: p.method,
  path: p.path,
  expect: p.expect,
  caller: p.caller,
  why: p.why,
});

/** The probes of one cluster as the plan lists them (ClusterPlan.probes). */
export const plannedProbes = (platform: Platform, cluster: Cluster): PlannedProbe[] =>
  probeMatrix(platform, cluster).map(plannedProbe);

type Applied = Extract<KubeAction, { op: 'apply' }>['objects'][number];

const refOf = (o: Applied): ObjectRef => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  name: o.metadata.name,
  ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
});

const toJson = <T>(value: T): Json => JSON.parse(JSON.stringify(value)) as Json;

export interface ZeroTrustOptions {
  /** A demo image already loaded into the cluster; it carries /app/probe.mjs. Default: the first app's. */
  image?: string;
  retry?: ProbeRetry;
}

/**
 * The zero-trust steps of one cluster. On an existing cluster these are the only steps that change
 * it: the objects of `add-workloads`, removed again by `remove-workloads`.
 */
export function zeroTrustSteps(
  platform: Platform,
  cluster: Cluster,
  target: KubeTarget,
  opts: ZeroTrustOptions = {},
): Step[] {
  const retry = opts.retry ?? PROBE_RETRY;
  const matrix = probeMatrix(platform, cluster);
  if (matrix.length === 0) return [];
  const image = opts.image ?? platform.apps[0]?.image;
  if (!image) throw new Error('zero-trust probes need a demo image: the spec has no apps');
  const workloads = probeWorkloads(platform, cluster);
  const objects = probeWorkloadObjects(platform, cluster, workloads, image) as Applied[];
  const { denials } = meshPlugin(cluster.mesh).zeroTrust;
  const c = cluster.name;
  const steps: Step[] = [];
  if (objects.length > 0) {
    steps.push(
      step({
        id: `${c}/probes/add-workloads`,
        cluster: c,
        title: `add the probe workloads (${workloads.map((w) => `${w.namespace}/${w.name}`).join(', ')}): idle pods in the demo image, no Service`,
        timeoutMs: 60_000,
        actions: [
          { type: 'kube', op: 'apply', target, objects: objects.map((o) => toJson(o) as unknown as Applied) },
        ],
      }),
      step({
        id: `${c}/probes/wait-workloads`,
        cluster: c,
        title: 'wait for the probe pods to be Ready (mesh proxy injected and started where the mesh has one)',
        timeoutMs: WORKLOAD_READY_MS + 30_000,
        actions: workloads.map(
          (w): KubeAction => ({
            type: 'kube',
            op: 'wait',
            target,
            ref: { apiVersion: 'v1', kind: 'Pod', name: w.name, namespace: w.namespace },
            condition: 'Ready',
            timeoutMs: WORKLOAD_READY_MS,
            why: `probe pod ${w.namespace}/${w.name} (${w.role}) must run before it can send requests`,
          }),
        ),
      }),
    );
  }
  // One step per target: its probes share the controls that must pass before its deny probes count.
  const targets = [...new Set(matrix.map((p) => p.to))];
  for (const to of targets) {
    const probes = matrix.filter((p) => p.to === to);
    const perProbe = retry.boundMs + retry.requestTimeoutMs + EXEC_SLACK_MS;
    steps.push(
      step({
        id: `${c}/probes/${to}`,
        cluster: c,
        title: `prove the policy of ${to}: ${probes.filter((p) => p.expect === 'allow').length} allowed, ${probes.filter((p) => p.expect === 'deny').length} refused (${retry.consecutive} in a row within ${retry.boundMs / 1000} s each)`,
        timeoutMs: probes.length * perProbe,
        onFailure: 'continue',
        actions: [
          // The probes themselves are listed once, in ClusterPlan.probes; here by id, in run order,
          // with the controls each deny probe waits for and the exact command of each.
          task(ZERO_TRUST_PROBES, {
            mesh: cluster.mesh,
            refusals: { classes: [...denials.classes], l7: denials.l7.map((d) => d.id) },
            retry: toJson(retry),
            // One attempt's bound: the client's deadline plus kubectl exec's own round trip.
            execTimeoutMs: retry.requestTimeoutMs + EXEC_SLACK_MS,
            probes: probes.map((p) => ({ id: p.id, controls: p.controls })),
            argv: Object.fromEntries(probes.map((p) => [p.id, probeArgv(p, target, retry.requestTimeoutMs)])),
          }),
        ],
      }),
    );
  }
  if (objects.length > 0) {
    steps.push(
      step({
        id: `${c}/probes/remove-workloads`,
        cluster: c,
        title: 'remove the probe workloads, in reverse order of creation (the outsider namespace last)',
        timeoutMs: 2 * 60_000,
        when: 'always',
        onFailure: 'continue',
        actions: [...objects]
          .reverse()
          .map((o): KubeAction => ({ type: 'kube', op: 'delete', target, ref: refOf(o) })),
      }),
    );
  }
  return steps;
}
