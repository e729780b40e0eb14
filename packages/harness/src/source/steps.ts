// The flux-system source as runner steps: build the server image once, publish the checkout once
// per run (one bare repository per cluster, so a canary's change on one cluster never reaches
// another), start a server per cluster on the kind network, apply the rendered sync objects with the
// server's URL, and remove server and repository at the end whatever happened.
import { type KubeTarget, run, type Step, step, task } from '../step.ts';
import type { FluxSync } from './flux-sync.ts';
import { buildImageArgv, SOURCE_IMAGE, sourceContainerName } from './server.ts';

/** Docker network kind attaches every node to. */
export const KIND_NETWORK = 'kind';

/** The bare repository served to `cluster`, relative to the repository root. */
export const sourceRepoPath = (runDir: string, cluster: string): string => `${runDir}/source/${cluster}.git`;

/** Run-wide: the server image, from the pinned public bases unless local ones are given. */
export const sourceImageStep = (opts: { baseImage?: string; gitImage?: string } = {}): Step =>
  step({
    id: 'run/source/build-image',
    cluster: null,
    title: 'build the Flux source server image (read-only Git over HTTP, packages/harness/images/source)',
    timeoutMs: 5 * 60_000,
    actions: [run(buildImageArgv({ tag: SOURCE_IMAGE, ...opts }))],
  });

/** Run-wide: one commit of the checkout as it is, published to every cluster's repository on its sync branch. */
export const sourceSnapshotStep = (runDir: string, clusters: { name: string; sync: FluxSync }[]): Step =>
  step({
    id: 'run/source/snapshot',
    cluster: null,
    title: 'commit this checkout as it is (uncommitted and untracked files included) for Flux to fetch',
    timeoutMs: 2 * 60_000,
    actions: [
      task('source-snapshot', {
        repos: clusters.map((c) => ({ path: sourceRepoPath(runDir, c.name), branch: c.sync.branch })),
      }),
    ],
  });

/** Per cluster, after `kind create cluster` (the network exists) and before `flux install` settles. */
export const sourceStartStep = (runDir: string, cluster: string): Step =>
  step({
    id: `${cluster}/source/start`,
    cluster,
    title: `serve the snapshot to ${cluster} from container ${sourceContainerName(cluster)} on the kind network`,
    timeoutMs: 60_000,
    actions: [
      task('source-start', {
        name: sourceContainerName(cluster),
        network: KIND_NETWORK,
        image: SOURCE_IMAGE,
        repo: sourceRepoPath(runDir, cluster),
        // A kind node resolves the name the way CoreDNS will for source-controller.
        resolveFrom: `${cluster}-control-plane`,
      }),
    ],
  });

/** Per cluster, once the Flux controllers run: the rendered sync.yaml with the URL of this run's server. */
export const sourceSyncStep = (cluster: string, target: KubeTarget, sync: FluxSync): Step =>
  step({
    id: `${cluster}/source/apply-sync`,
    cluster,
    title: `point Flux at this checkout: clusters/${cluster}/sync/sync.yaml, ${sync.source.namespace}/${sync.source.name} URL replaced`,
    timeoutMs: 60_000,
    actions: [{ type: 'kube', op: 'apply', target, objects: sync.objects }],
  });

/** Per cluster, always (also after a failure or an interrupt): no container or repository survives. */
export const sourceStopStep = (runDir: string, cluster: string): Step =>
  step({
    id: `${cluster}/source/stop`,
    cluster,
    title: `remove the source server ${sourceContainerName(cluster)} and its repository`,
    timeoutMs: 60_000,
    when: 'always',
    onFailure: 'continue',
    actions: [
      task('source-stop', { name: sourceContainerName(cluster), repo: sourceRepoPath(runDir, cluster) }),
    ],
  });
