// The runner's step model. A run is one ordered list of steps; every step is plain JSON data, so
// `meshproof e2e --plan --json` prints exactly the objects the engine executes and a reviewer who
// cannot run kind reads what a run will do. Nothing here runs anything: see engine.ts.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Host programs a `run` action may start. Anything else in a plan is a bug, caught by validatePlan. */
export const HOST_TOOLS = ['docker', 'kind', 'kubectl', 'helm', 'flux', 'git', 'node'] as const;
export type HostTool = (typeof HOST_TOOLS)[number];

/** Which cluster a `kube` action talks to. kubeconfig is relative to the repository root; null means the default loading rules ($KUBECONFIG, ~/.kube/config). */
export interface KubeTarget {
  kubeconfig: string | null;
  context: string;
}

/** Names one Kubernetes object (namespace omitted for cluster-scoped kinds). */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** A whole object as the API takes it. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: { [key: string]: Json };
}

/** A program run on the host: argv[0] is a HostTool, resolved on PATH with `.tools/bin` first (`node` is the Node running the runner). */
export interface RunAction {
  type: 'run';
  argv: [HostTool, ...string[]];
  /** Relative to the repository root; the root when omitted. */
  cwd?: string;
  /** Standard output is written to this file (relative to the repository root) instead of the step log. */
  stdoutFile?: string;
}

/** A call made with @kubernetes/client-node against `target`. */
export type KubeAction =
  | {
      type: 'kube';
      op: 'apply';
      target: KubeTarget;
      /** Server-side apply, field manager "meshproof". */
      objects: KubeObject[];
    }
  | {
      type: 'kube';
      op: 'wait';
      target: KubeTarget;
      ref: ObjectRef;
      /** Waits (with a watch) until status.conditions has this type with status "True". */
      condition: string;
      /** Bound of this wait alone; the step's timeoutMs bounds the whole step. */
      timeoutMs: number;
      /** Why this bound: what the render wrote, shown when the wait times out. */
      why: string;
    }
  | { type: 'kube'; op: 'get'; target: KubeTarget; ref: ObjectRef; saveAs?: string }
  | { type: 'kube'; op: 'delete'; target: KubeTarget; ref: ObjectRef };

/** A named in-process task; `name` is looked up in the executor registry (registry.ts), `args` is its input. */
export interface TaskAction {
  type: 'task';
  name: string;
  args: { [key: string]: Json };
}

export type Action = RunAction | KubeAction | TaskAction;

/**
 * When a step runs, relative to failures of its scope (its cluster, or the run for run-wide steps):
 * - 'ok': only while nothing in its scope (or the run) has failed — the normal path;
 * - 'failed': only once its scope has failed, and not after an interrupt — diagnostics;
 * - 'always': whatever happened, interrupts included — cleanup.
 */
export type When = 'ok' | 'failed' | 'always';

/**
 * What a failure of this step does: 'stop' fails its scope, so later 'ok' steps of that scope are
 * skipped; 'continue' records the failure (the run still exits 1) but lets the scope go on, e.g. one
 * probe of many.
 */
export type OnFailure = 'stop' | 'continue';

export interface Step {
  /** Stable and unique in a plan: `<cluster or "run">/<group>/<name>`, e.g. `kind-linkerd/flux/wait-apps`. */
  id: string;
  /** The cluster this step belongs to, or null for run-wide steps (image build, source server). */
  cluster: string | null;
  title: string;
  /** The whole step is killed (child process trees included) when it runs longer than this. */
  timeoutMs: number;
  actions: Action[];
  when: When;
  onFailure: OnFailure;
  /**
   * Planned but not run on this cluster, and why (e.g. its mesh cannot do what the step proves): the
   * engine records the step as skipped with this reason, so plan and results both say it.
   */
  skip?: string;
}

/**
 * One request sent to prove the policy, as planned (probes/matrix.ts builds them, with the pod it
 * leaves from and the controls that must pass first); the probe task reports its outcome as evidence.
 */
export interface PlannedProbe {
  /** Unique within the cluster. */
  id: string;
  from: string;
  to: string;
  method: string;
  path: string;
  expect: 'allow' | 'deny';
  /**
   * Who calls: the target itself over loopback (is it up?), a caller the spec allows, an app with no
   * rule, a meshed workload no rule names, a client outside the mesh, or a disallowed L7 request.
   */
  caller: 'self' | 'allowed' | 'no-rule' | 'wrong-identity' | 'plaintext' | 'l7';
  why: string;
}

export interface ClusterPlan {
  name: string;
  mesh: string;
  /** Where the cluster is reached; for kind, a kubeconfig private to the run. */
  target: KubeTarget;
  /** Whether the run creates (and deletes) the cluster or uses one that exists. */
  existing: boolean;
  probes: PlannedProbe[];
}

/** Everything a run does, in order. The engine executes `steps` exactly as printed. */
export interface Plan {
  runId: string;
  /** Folder of this run's results and diagnostics, relative to the repository root. */
  runDir: string;
  clusters: ClusterPlan[];
  steps: Step[];
}

/** What a step (or action) reports into results.json, e.g. a probe's outcome or a condition it saw. */
export interface Evidence {
  /** What kind of evidence: 'probe', 'condition', 'file', 'output', ... Results group probes by this. */
  type: string;
  [key: string]: Json;
}

export const step = (
  s: Omit<Step, 'when' | 'onFailure'> & Partial<Pick<Step, 'when' | 'onFailure'>>,
): Step => ({ when: 'ok', onFailure: 'stop', ...s });

export const run = (
  argv: [HostTool, ...string[]],
  extra: Omit<RunAction, 'type' | 'argv'> = {},
): RunAction => ({
  type: 'run',
  argv,
  ...extra,
});

export const task = (name: string, args: { [key: string]: Json } = {}): TaskAction => ({
  type: 'task',
  name,
  args,
});

/** Problems that make a plan unrunnable (duplicate ids, unknown tools or tasks); empty when it is fine. */
export function validatePlan(plan: Plan, knownTasks: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const clusters = new Set(plan.clusters.map((c) => c.name));
  for (const s of plan.steps) {
    if (seen.has(s.id)) problems.push(`step ${s.id}: duplicate id`);
    seen.add(s.id);
    if (s.cluster !== null && !clusters.has(s.cluster))
      problems.push(`step ${s.id}: cluster "${s.cluster}" is not in the plan`);
    if (!(s.timeoutMs > 0)) problems.push(`step ${s.id}: timeoutMs must be positive`);
    s.actions.forEach((a, i) => {
      if (a.type === 'run' && !(HOST_TOOLS as readonly string[]).includes(a.argv[0]))
        problems.push(`step ${s.id} action ${i}: "${a.argv[0]}" is not one of ${HOST_TOOLS.join('|')}`);
      if (a.type === 'task' && !knownTasks.has(a.name))
        problems.push(`step ${s.id} action ${i}: no executor registered for task "${a.name}"`);
    });
  }
  return problems;
}
