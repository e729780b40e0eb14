// The canary scenarios as runner steps, per canary app of a kind cluster: promote the next version,
// then roll back a faulty one, each published as a Git commit on the run's source and followed
// through Flagger's phases while a client inside the mesh samples. Every cluster call a step makes is
// in its task args (argv with placeholders the executor fills in: {pod}, {now}), so `--plan --json`
// shows them all.
import { meshPlugin, renderCaveats } from '@meshproof/render';
import type { App, Cluster, Platform } from '@meshproof/spec';
import type { ClusterPlan, Json, KubeTarget, Step } from '../step.ts';
import { step, task } from '../step.ts';
import { canaryReleases, changedFiles, type Release } from './rollout-change.ts';
import { resetCommand, samplerCommand, stopCommand } from './sampler.ts';
import { promotionTimeout, READY_WAIT_MS, rollbackTimeout, type ScenarioTimeout } from './timeouts.ts';

export const CANARY_ROLLOUT = 'canary-rollout';

/** Where the run serves this cluster's flux-system source (the source module's repository and branch). */
export interface SourceRef {
  /** Bare repository the source server serves, relative to the repository root. */
  repo: string;
  branch: string;
  /** The GitRepository Flux reads it through. */
  name: string;
  namespace: string;
}

export interface CanaryScenarioInput {
  platform: Platform;
  cluster: Cluster;
  plan: ClusterPlan;
  source: SourceRef;
}

export const SAMPLER = { calls: 20, periodMs: 250 } as const;
export const POLL_MS = 2000;
/** After Failed/Succeeded, keep sampling this long: it shows who serves once Flagger is done. */
export const TAIL_MS = 15_000;

const kubectl = (t: KubeTarget, ...args: string[]): string[] => [
  'kubectl',
  ...(t.kubeconfig === null ? [] : ['--kubeconfig', t.kubeconfig]),
  '--context',
  t.context,
  ...args,
];

/** The first app that calls `app` (the demo frontend): its /api/fanout is the in-mesh client. */
export const clientOf = (platform: Platform, app: App): App | undefined =>
  platform.apps.find((a) => a.port !== undefined && a.calls.some((c) => c.app === app.name));

/** Retries on 5xx the mesh applies to calls to `app` on this cluster: the spec's, unless a caveat drops them. */
export function effectiveRetries(platform: Platform, cluster: Cluster, app: App): number {
  const i = platform.apps.indexOf(app);
  const dropped = renderCaveats(platform).some(
    (c) => c.cluster === cluster.name && c.path === `apps[${i}].resilience.retries`,
  );
  return dropped ? 0 : (app.resilience.retries?.attempts ?? 0);
}

/** The client's commands: find its pod, then reset, run and stop the sampler in its app container. */
function samplerArgv(t: KubeTarget, client: App, maxMs: number): Record<string, string[]> {
  const exec = kubectl(t, '-n', client.namespace, 'exec', '{pod}', '-c', client.name, '--');
  return {
    findPod: kubectl(
      t,
      '-n',
      client.namespace,
      'get',
      'pods',
      '-l',
      `app=${client.name}`,
      '--field-selector=status.phase=Running',
      '-o',
      'jsonpath={.items[0].metadata.name}',
    ),
    resetSampler: [...exec, ...resetCommand()],
    sampler: [
      ...exec,
      ...samplerCommand({
        url: `http://127.0.0.1:${client.port}/api/fanout`,
        calls: SAMPLER.calls,
        periodMs: SAMPLER.periodMs,
        maxMs,
      }),
    ],
    stopSampler: [...exec, ...stopCommand()],
  };
}

interface RolloutPlan {
  scenario: 'promotion' | 'rollback';
  spec: { before: Platform; after: Platform };
  release: Release;
  expectPhase: 'Succeeded' | 'Failed';
  timeout: ScenarioTimeout;
}

function rolloutStep(input: CanaryScenarioInput, app: App, r: RolloutPlan): Step {
  const { platform, cluster, plan, source } = input;
  const t = plan.target;
  const canary = app.canary;
  if (!canary) throw new Error(`app ${app.name} has no canary`);
  const client = clientOf(platform, app);
  const weighted = meshPlugin(cluster.mesh).flagger.weightedTraffic;
  const files = changedFiles(r.spec.before, r.spec.after, cluster.name);
  const args: { [key: string]: Json } = {
    scenario: r.scenario,
    app: app.name,
    namespace: app.namespace,
    canaryVersion: r.release.version,
    previousVersion: r.release.previous,
    expectPhase: r.expectPhase,
    weighted,
    timeoutMs: r.timeout.ms,
    timeoutWhy: r.timeout.why,
    readyWaitMs: READY_WAIT_MS,
    pollMs: POLL_MS,
    tailMs: TAIL_MS,
    fault: r.release.faults
      ? { errorRate: r.release.faults.errorRate, retries: effectiveRetries(platform, cluster, app) }
      : null,
    publish: {
      repo: source.repo,
      branch: source.branch,
      message: `${app.name}: roll out ${r.release.version}${r.release.faults ? ` (FAULT_ERROR_RATE=${r.release.faults.errorRate})` : ''}`,
      files,
    },
    client: client ? client.name : null,
    // Every host command the task runs, by name ({pod} and {now} are filled in at run time).
    argv: {
      // Ask Flux to fetch now instead of at its next interval (what `flux reconcile source git` does).
      reconcile: kubectl(
        t,
        '-n',
        source.namespace,
        'annotate',
        '--overwrite',
        `gitrepository/${source.name}`,
        'reconcile.fluxcd.io/requestedAt={now}',
      ),
      sourceRevision: kubectl(
        t,
        '-n',
        source.namespace,
        'get',
        `gitrepository/${source.name}`,
        '-o',
        'jsonpath={.status.artifact.revision}',
      ),
      pollCanary: kubectl(t, '-n', app.namespace, 'get', `canary/${app.name}`, '-o', 'json'),
      primaryVersion: kubectl(
        t,
        '-n',
        app.namespace,
        'get',
        `deployment/${app.name}-primary`,
        '-o',
        "jsonpath={.spec.template.spec.containers[0].env[?(@.name=='VERSION')].value}",
      ),
      ...(client ? samplerArgv(t, client, r.timeout.ms + READY_WAIT_MS) : {}),
    },
  };
  const what =
    r.scenario === 'promotion'
      ? `promote ${app.name} ${r.release.previous} → ${r.release.version} through Git; follow the Canary to ${r.expectPhase}; split per step and 0 lost requests`
      : `roll out ${app.name} ${r.release.version} (FAULT_ERROR_RATE=${r.release.faults?.errorRate}) through Git; follow the Canary to ${r.expectPhase}; ${r.release.previous} keeps serving; blast radius`;
  return step({
    id: `${cluster.name}/canary/${app.name}-${r.scenario}`,
    cluster: cluster.name,
    title: `${what} (timeout ${r.timeout.why})`,
    // The step also waits for the Canary to be ready and for the sampler to stop.
    timeoutMs: READY_WAIT_MS + r.timeout.ms + 60_000,
    actions: [task(CANARY_ROLLOUT, args)],
    onFailure: 'continue',
  });
}

/**
 * Promotion then rollback for every canary app, on clusters the run creates. On an existing cluster
 * the flux-system source is the user's own remote: the run cannot publish to it, so it adds no steps.
 */
export function canarySteps(input: CanaryScenarioInput): Step[] {
  if (input.plan.existing) return [];
  return input.platform.apps
    .filter((a) => a.canary?.enabled)
    .flatMap((app) => {
      const canary = app.canary as NonNullable<App['canary']>;
      const { promote, rollback } = canaryReleases(input.platform, app.name);
      return [
        rolloutStep(input, app, {
          scenario: 'promotion',
          spec: { before: input.platform, after: promote.spec },
          release: promote.release,
          expectPhase: 'Succeeded',
          timeout: promotionTimeout(canary),
        }),
        rolloutStep(input, app, {
          scenario: 'rollback',
          spec: { before: promote.spec, after: rollback.spec },
          release: rollback.release,
          expectPhase: 'Failed',
          timeout: rollbackTimeout(canary),
        }),
      ];
    });
}
