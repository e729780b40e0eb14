// The in-cluster benchmark as runner steps (harness step model): every cluster call is in the plan, as a
// kube action or as argv in a task's arguments, so `--plan --json` shows exactly what a run does.

import { type Profile, rawPath, resourcesPath, schedule } from '@meshproof/bench';
import type { Cluster, Platform } from '@meshproof/spec';
import type { Json, KubeAction, KubeTarget, Step } from '../step.ts';
import { run, step, task } from '../step.ts';
import { BACKEND, benchObjects, jobName, K6_CONTAINER, K6_IMAGE, k6Job, NAMESPACES } from './objects.ts';

export const BENCH_RUN_TASK = 'bench-k6-run';
export const BENCH_RESULTS_TASK = 'bench-results';
/** How often the data plane's CPU/memory is read during a run (metrics-server scrapes every 15 s by default). */
export const SAMPLE_EVERY_MS = 15_000;

const kubectl = (t: KubeTarget, ...args: string[]): ['kubectl', ...string[]] => [
  'kubectl',
  ...(t.kubeconfig ? ['--kubeconfig', t.kubeconfig] : []),
  '--context',
  t.context,
  ...args,
];

const toJson = (v: unknown): Json => JSON.parse(JSON.stringify(v)) as Json;

/** What the plain side is on each mesh: said in results.json and the report. */
export function sides(cluster: Cluster): { plainSide: string; meshSide: string } {
  const plainSide = `namespace ${NAMESPACES.plain}: client and backend not enrolled in any mesh, no policy, pod to pod across nodes`;
  if (cluster.mesh === 'cilium')
    return {
      plainSide: `${plainSide}; NOTE Cilium's WireGuard (when on) encrypts every pod-to-pod packet between nodes, plain side included, so the pair measures mutual authentication and policy only: compare with kind-baseline for the whole cost`,
      meshSide: `namespace ${NAMESPACES.mesh} under the render's Cilium policies (default deny, caller admitted by identity)`,
    };
  if (cluster.mesh === 'none')
    return {
      plainSide,
      meshSide: `namespace ${NAMESPACES.mesh} under the baseline's default-deny NetworkPolicies (no mesh: the pair measures policy enforcement only)`,
    };
  return {
    plainSide,
    meshSide: `namespace ${NAMESPACES.mesh} enrolled in ${cluster.mesh} with STRICT mTLS, default deny and the client admitted by identity, as rendered for the demo apps`,
  };
}

export interface BenchStepOptions {
  profile: Profile;
  /** The cluster's results directory, relative to the repository root: .bench/<run-id>/<cluster>. */
  clusterDir: string;
  runId: string;
  /** false on an existing cluster (--kubeconfig): the k6 image must already be pullable or loaded. */
  loadImage: boolean;
}

export function benchSteps(
  platform: Platform,
  cluster: Cluster,
  target: KubeTarget,
  o: BenchStepOptions,
): Step[] {
  const c = cluster.name;
  const objects = benchObjects(platform, cluster);
  const steps: Step[] = [];
  if (o.loadImage)
    steps.push(
      step({
        id: `${c}/bench/load-k6-image`,
        cluster: c,
        title: `load the k6 image (${K6_IMAGE}) into the kind nodes, like every other image`,
        timeoutMs: 5 * 60_000,
        actions: [
          run(['docker', 'pull', K6_IMAGE]),
          run(['kind', 'load', 'docker-image', K6_IMAGE, '--name', c]),
        ],
      }),
    );
  steps.push(
    step({
      id: `${c}/bench/apply`,
      cluster: c,
      title: `add ${NAMESPACES.plain} and ${NAMESPACES.mesh}: the demo backend on a server node in each, the k6 script, the mesh side's policy`,
      timeoutMs: 60_000,
      actions: [{ type: 'kube', op: 'apply', target, objects: objects.map((x) => toJson(x)) as never }],
    }),
    step({
      id: `${c}/bench/wait-backends`,
      cluster: c,
      title: 'wait for both backends to be Available (mesh proxy injected where the mesh has one)',
      timeoutMs: 4 * 60_000,
      actions: (['plain', 'mesh'] as const).map(
        (side): KubeAction => ({
          type: 'kube',
          op: 'wait',
          target,
          ref: { apiVersion: 'apps/v1', kind: 'Deployment', name: BACKEND, namespace: NAMESPACES[side] },
          condition: 'Available',
          timeoutMs: 3 * 60_000,
          why: `the ${side} backend must serve before k6 measures it`,
        }),
      ),
    }),
  );
  const runs = schedule(o.profile.repetitions);
  const runSeconds = o.profile.warmupSeconds + o.profile.durationSeconds;
  runs.forEach(({ repetition, side }, order) => {
    const ns = NAMESPACES[side];
    const job = jobName(repetition, side);
    steps.push(
      step({
        id: `${c}/bench/run-${String(repetition).padStart(2, '0')}-${side}`,
        cluster: c,
        title: `repetition ${repetition} ${side} (${order + 1}/${runs.length}): k6 at ${o.profile.rate} req/s for ${o.profile.warmupSeconds}+${o.profile.durationSeconds} s, data plane sampled every ${SAMPLE_EVERY_MS / 1000} s`,
        timeoutMs: (runSeconds + 240) * 1000,
        onFailure: 'continue',
        actions: [
          task(BENCH_RUN_TASK, {
            job: toJson(k6Job(platform, cluster, o.profile, repetition, side)),
            mesh: cluster.mesh,
            rawFile: rawPath(o.clusterDir, repetition, side),
            resourcesFile: resourcesPath(o.clusterDir, repetition, side),
            sampleEveryMs: SAMPLE_EVERY_MS,
            deadlineMs: (runSeconds + 180) * 1000,
            argv: {
              apply: kubectl(target, 'apply', '--server-side', '--field-manager', 'meshproof', '-f', '-'),
              // The k6 container's end, not the Job's: a mesh sidecar may outlive it.
              state: kubectl(
                target,
                '-n',
                ns,
                'get',
                'pods',
                '-l',
                `job-name=${job}`,
                '-o',
                `jsonpath={.items[0].status.containerStatuses[?(@.name=="${K6_CONTAINER}")].state.terminated.exitCode}`,
              ),
              logs: kubectl(target, '-n', ns, 'logs', `job/${job}`, '-c', K6_CONTAINER),
              metrics: kubectl(target, 'get', '--raw', '/apis/metrics.k8s.io/v1beta1/pods'),
              delete: kubectl(target, '-n', ns, 'delete', 'job', job, '--wait=true', '--cascade=foreground'),
            },
          }),
        ],
      }),
    );
  });
  const { plainSide, meshSide } = sides(cluster);
  steps.push(
    step({
      id: `${c}/bench/results`,
      cluster: c,
      title: `parse every run, pair valid repetitions, write ${o.clusterDir}/results.json (environment included)`,
      timeoutMs: 5 * 60_000,
      when: 'always',
      onFailure: 'continue',
      actions: [
        task(BENCH_RESULTS_TASK, {
          clusterDir: o.clusterDir,
          runId: o.runId,
          cluster: c,
          mesh: cluster.mesh,
          plainSide,
          meshSide,
          profile: toJson(o.profile),
          runs: runs.map(({ repetition, side }, order) => ({
            repetition,
            side,
            order,
            file: rawPath(o.clusterDir, repetition, side),
          })),
          versions: kubectl(target, 'version', '-o', 'json'),
        }),
      ],
    }),
    step({
      id: `${c}/bench/remove`,
      cluster: c,
      title: `remove ${NAMESPACES.plain} and ${NAMESPACES.mesh}`,
      timeoutMs: 3 * 60_000,
      when: 'always',
      onFailure: 'continue',
      actions: (['mesh', 'plain'] as const).map(
        (side): KubeAction => ({
          type: 'kube',
          op: 'delete',
          target,
          ref: { apiVersion: 'v1', kind: 'Namespace', name: NAMESPACES[side] },
        }),
      ),
    }),
  );
  return steps;
}
