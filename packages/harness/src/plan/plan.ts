// The plan: every step of a run, in order, built from the spec and the rendered clusters/ tree. The
// CLI prints it (--plan, --plan --json) and hands the same object to the engine.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Platform } from '@meshproof/spec';
import { plannedProbes } from '../probes/steps.ts';
import { type FluxSync, fluxSyncFrom, syncFile } from '../source/flux-sync.ts';
import { sourceContainerName, sourceUrl } from '../source/server.ts';
import { KIND_NETWORK, sourceImageStep, sourceSnapshotStep } from '../source/steps.ts';
import type { ClusterPlan, KubeTarget, Plan, Step } from '../step.ts';
import { step, task } from '../step.ts';
import { prerequisiteSteps } from '../tools/tasks.ts';
import { clusterDownSteps, clusterUpSteps } from './cluster.ts';
import { diagnosticSteps } from './diagnostics.ts';
import { appImages, imageSteps } from './images.ts';
import { readRenderedCluster } from './rendered.ts';
import { SCENARIOS, type Scenario, zeroTrust } from './scenarios.ts';

export interface PlanInput {
  /** Absolute path of the repository root (clusters/ and apps/ are read from it; never printed). */
  root: string;
  /** The spec, its clusters already narrowed to the ones to run. */
  platform: Platform;
  runId: string;
  /** Leave the kind clusters (and their source servers) running at the end. */
  keep: boolean;
  /** Run against this existing cluster instead of creating one (one cluster only). */
  existing?: KubeTarget;
  /** BASE_IMAGE for apps/images/Dockerfile (offline builds); the Dockerfile's default when unset. */
  baseImage?: string;
  /** What runs once the cluster is Ready; default SCENARIOS (zero-trust probes, canaries). `meshproof bench` passes its own. */
  scenarios?: readonly Scenario[];
  /** Where the run writes, relative to the root; default `.e2e/<run-id>` (`meshproof bench`: `.bench/<run-id>`). */
  runDir?: string;
}

export class PlanInputError extends Error {}

const appNamespaces = (platform: Platform) => [...new Set(platform.apps.map((a) => a.namespace))].sort();

const kindNetworkStep = (when: 'before' | 'after', runDir: string): Step =>
  step({
    id: `run/cleanup/kind-network-${when}`,
    cluster: null,
    title:
      when === 'before'
        ? 'note whether the kind Docker network exists before the run'
        : 'remove the kind Docker network if this run created it and nothing uses it',
    timeoutMs: 30_000,
    actions: [task(`network-${when}`, { network: KIND_NETWORK, file: `${runDir}/kind-network-before.txt` })],
    ...(when === 'after' ? { when: 'always' as const, onFailure: 'continue' as const } : {}),
  });

function readSync(root: string, cluster: string): FluxSync {
  const file = syncFile(cluster);
  let text: string;
  try {
    text = readFileSync(join(root, file), 'utf8');
  } catch {
    throw new PlanInputError(`${file} is missing: run \`./dev meshproof render\` first`);
  }
  try {
    return fluxSyncFrom(text, file, sourceUrl(sourceContainerName(cluster)));
  } catch (e) {
    throw new PlanInputError((e as Error).message);
  }
}

export function buildPlan(input: PlanInput): Plan {
  const { platform, runId, existing } = input;
  const runDir = input.runDir ?? `.e2e/${runId}`;
  const scenarioList = input.scenarios ?? SCENARIOS;
  if (existing && platform.clusters.length !== 1)
    throw new PlanInputError('--kubeconfig/--existing runs one cluster: name it with --cluster');
  const clusters: ClusterPlan[] = platform.clusters.map((c) => ({
    name: c.name,
    mesh: c.mesh,
    // kind: a kubeconfig private to the run (the user's ~/.kube/config is never touched); kind names the context kind-<name>.
    target: existing ?? { kubeconfig: `${runDir}/kubeconfig`, context: `kind-${c.name}` },
    existing: existing !== undefined,
    // Listed only when the probes run (results.json reports each planned probe).
    probes: scenarioList.includes(zeroTrust) ? plannedProbes(platform, c) : [],
  }));
  const images = appImages(platform);
  const syncs = existing
    ? []
    : platform.clusters.map((c) => ({ name: c.name, sync: readSync(input.root, c.name) }));
  const built = existing ? { steps: [], problems: [] } : imageSteps(input.root, platform, input.baseImage);
  if (built.problems.length > 0) throw new PlanInputError(built.problems.join('\n'));
  // Docker first (reachable, memory for each cluster), then the pinned tools (tools/tasks.ts). An
  // existing cluster needs neither Docker nor kind and helm.
  const prerequisites = existing
    ? prerequisiteSteps(platform, platform.clusters, ['kubectl', 'flux']).filter(
        (s) => s.id !== 'run/prerequisites/docker',
      )
    : prerequisiteSteps(platform, platform.clusters);
  const runSteps: Step[] = [
    ...prerequisites,
    ...built.steps,
    // The flux-system source: built and snapshotted once, served per cluster (source/).
    ...(existing ? [] : [sourceImageStep({ baseImage: input.baseImage }), sourceSnapshotStep(runDir, syncs)]),
    ...(existing ? [] : [kindNetworkStep('before', runDir)]),
  ];
  const clusterSteps = platform.clusters.flatMap((cluster, i) => {
    const plan = clusters[i] as ClusterPlan;
    let rendered: ReturnType<typeof readRenderedCluster>;
    try {
      rendered = readRenderedCluster(input.root, cluster.name);
    } catch (e) {
      throw new PlanInputError((e as Error).message);
    }
    const dir = `${runDir}/${cluster.name}`;
    const sync = syncs[i]?.sync;
    const ctx = { platform, cluster, plan, rendered, runId, runDir, sync: sync as FluxSync, dir, images };
    const scenarios = scenarioList.flatMap((scenario) =>
      scenario({ platform, cluster, plan, runId, runDir, sync, dir }),
    );
    return [
      ...clusterUpSteps(ctx),
      ...scenarios.filter((s) => s.when !== 'always'),
      ...diagnosticSteps(plan, rendered, dir, appNamespaces(platform)),
      ...scenarios.filter((s) => s.when === 'always'),
      ...clusterDownSteps(ctx, input.keep),
    ];
  });
  // kind leaves its Docker network behind; a run that made it removes it (unless clusters are kept).
  const last = existing || input.keep ? [] : [kindNetworkStep('after', runDir)];
  return { runId, runDir, clusters, steps: [...runSteps, ...clusterSteps, ...last] };
}
