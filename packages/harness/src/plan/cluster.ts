// One cluster's steps on kind: create, load the images, the mesh's pre-Flux commands, Flux from the
// local source, then readiness; on an existing cluster only readiness. Scenarios (probes, canaries,
// the benchmark) follow; diagnostics and cleanup close.
import { preFluxSteps } from '@meshproof/render';
import type { Cluster, Platform } from '@meshproof/spec';
import type { FluxSync } from '../source/flux-sync.ts';
import { sourceStartStep, sourceStopStep, sourceSyncStep } from '../source/steps.ts';
import type { Action, ClusterPlan, HostTool, KubeObject, Step } from '../step.ts';
import { run, step } from '../step.ts';
import { fluxInstallSteps } from './flux-install.ts';
import type { RenderedCluster } from './rendered.ts';
import { clusterRun } from './target.ts';
import { fluxWaitSteps } from './waits.ts';

export interface ClusterStepsInput {
  platform: Platform;
  cluster: Cluster;
  plan: ClusterPlan;
  rendered: RenderedCluster;
  runId: string;
  runDir: string;
  /** clusters/<name>/sync/sync.yaml with the run's source server URL (source/flux-sync.ts). */
  sync: FluxSync;
  /** `.e2e/<run-id>/<cluster>`, relative to the repository root. */
  dir: string;
  images: string[];
}

const MINUTE = 60_000;

function createSteps(input: ClusterStepsInput): Step[] {
  const { plan, rendered, images } = input;
  const id = (s: string) => `${plan.name}/cluster/${s}`;
  if (plan.target.kubeconfig === null) throw new Error('a kind cluster needs the run kubeconfig');
  return [
    step({
      id: id('create'),
      cluster: plan.name,
      title:
        'create the kind cluster (node image pinned by digest in kind.yaml; kubeconfig private to the run)',
      timeoutMs: 10 * MINUTE,
      actions: [
        run([
          'kind',
          'create',
          'cluster',
          '--name',
          plan.name,
          '--config',
          `${rendered.dir}/kind.yaml`,
          '--kubeconfig',
          plan.target.kubeconfig,
        ]),
      ],
    }),
    step({
      id: id('load-images'),
      cluster: plan.name,
      title: 'load the demo images into every node (no registry needed)',
      timeoutMs: 10 * MINUTE,
      actions: [run(['kind', 'load', 'docker-image', ...images, '--name', plan.name])],
    }),
    ...preFlux(input),
  ];
}

function preFlux(input: ClusterStepsInput): Step[] {
  const { plan } = input;
  const commands = preFluxSteps(input.platform, input.cluster);
  if (commands.length === 0) return [];
  return [
    step({
      id: `${plan.name}/pre-flux/install`,
      cluster: plan.name,
      title: `before Flux, for ${plan.mesh}: ${commands.map((c) => c.title).join('; ')}`,
      timeoutMs: 15 * MINUTE,
      actions: commands.map((c) => clusterRun(plan.target, c.argv as [HostTool, ...string[]])),
    }),
  ];
}

const nodesReady = ({ plan, rendered }: ClusterStepsInput): Step =>
  step({
    id: `${plan.name}/cluster/nodes-ready`,
    cluster: plan.name,
    title: `wait for the ${rendered.nodes.length} nodes to be Ready (the CNI is up)`,
    timeoutMs: 6 * MINUTE,
    actions: rendered.nodes.map(
      (name): Action => ({
        type: 'kube',
        op: 'wait',
        target: plan.target,
        ref: { apiVersion: 'v1', kind: 'Node', name },
        condition: 'Ready',
        timeoutMs: 5 * MINUTE,
        why: 'a node turns Ready once the kubelet and the CNI run',
      }),
    ),
  });

function fluxFromLocalSource({ plan, sync, runDir, dir }: ClusterStepsInput): Step[] {
  const wait = (o: KubeObject, why: string): Action => ({
    type: 'kube',
    op: 'wait',
    target: plan.target,
    ref: {
      apiVersion: o.apiVersion,
      kind: o.kind,
      namespace: o.metadata.namespace ?? 'flux-system',
      name: o.metadata.name,
    },
    condition: 'Ready',
    timeoutMs: 3 * MINUTE,
    why,
  });
  const apply = sourceSyncStep(plan.name, plan.target, sync);
  return [
    sourceStartStep(runDir, plan.name),
    ...fluxInstallSteps(plan, `${dir}/flux-install`),
    {
      ...apply,
      title: `${apply.title}; wait until Flux fetched it and applied the layer Kustomizations`,
      timeoutMs: apply.timeoutMs + 6 * MINUTE,
      actions: [
        ...apply.actions,
        // The GitRepository first (source-controller fetched the snapshot), then every Kustomization of sync.yaml.
        ...sync.objects
          .filter((o) => o.kind === 'GitRepository')
          .map((o) =>
            wait(o, "source-controller clones the snapshot from the run's server and stores an artifact"),
          ),
        ...sync.objects
          .filter((o) => o.kind === 'Kustomization')
          .map((o) => wait(o, 'kustomize-controller applies the four layer Kustomizations of flux/')),
      ],
    },
  ];
}

/** The steps that bring one cluster up to "every layer Ready". */
export function clusterUpSteps(input: ClusterStepsInput): Step[] {
  const { plan, rendered } = input;
  const up = plan.existing ? [] : [...createSteps(input), nodesReady(input), ...fluxFromLocalSource(input)];
  return [...up, ...fluxWaitSteps(plan, rendered)];
}

/** Cleanup that runs whatever happened: the source container, then the cluster (unless kept or existing). */
export function clusterDownSteps({ plan, runDir }: ClusterStepsInput, keep: boolean): Step[] {
  // --keep leaves the cluster and its source server, so Flux keeps reconciling while someone looks.
  if (plan.existing || keep) return [];
  return [
    sourceStopStep(runDir, plan.name),
    step({
      id: `${plan.name}/cluster/delete`,
      cluster: plan.name,
      title: 'delete the kind cluster',
      timeoutMs: 3 * MINUTE,
      actions: [
        run(['kind', 'delete', 'cluster', '--name', plan.name, '--kubeconfig', plan.target.kubeconfig ?? '']),
      ],
      when: 'always',
      onFailure: 'continue',
    }),
  ];
}
