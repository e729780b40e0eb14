// What an engineer needs when a cluster's run failed, collected into .e2e/<run-id>/<cluster>/. Each
// step runs only after a failure and never stops the next one.
import type { ClusterPlan, Step } from '../step.ts';
import { run, step, task } from '../step.ts';
import type { RenderedCluster } from './rendered.ts';
import { clusterRun } from './target.ts';

const FLUX_KINDS = 'gitrepositories,helmrepositories,ocirepositories,kustomizations,helmreleases';

export function diagnosticSteps(
  cluster: ClusterPlan,
  rendered: RenderedCluster,
  dir: string,
  appNamespaces: string[],
): Step[] {
  const t = cluster.target;
  // Control planes (mesh, Flagger, observability, metrics-server) live where the HelmReleases install them.
  const controlPlanes = [
    'flux-system',
    ...new Set(rendered.layers.flatMap((l) => l.helmReleases.map((h) => h.workloadNamespace))),
  ].filter((ns) => !appNamespaces.includes(ns));
  const diag = (name: string, title: string, actions: Step['actions']) =>
    step({
      id: `${cluster.name}/diagnostics/${name}`,
      cluster: cluster.name,
      title,
      timeoutMs: 3 * 60_000,
      actions,
      when: 'failed',
      onFailure: 'continue',
    });
  return [
    diag('flux', 'Flux objects with their conditions', [
      clusterRun(t, ['kubectl', 'get', FLUX_KINDS, '--all-namespaces', '-o', 'yaml'], {
        stdoutFile: `${dir}/flux-objects.yaml`,
      }),
      clusterRun(t, ['flux', 'get', 'all', '--all-namespaces'], { stdoutFile: `${dir}/flux-get-all.txt` }),
    ]),
    diag('events', 'events of every namespace, oldest first', [
      clusterRun(t, ['kubectl', 'get', 'events', '--all-namespaces', '--sort-by=.lastTimestamp'], {
        stdoutFile: `${dir}/events.txt`,
      }),
      clusterRun(t, ['kubectl', 'get', 'pods', '--all-namespaces', '-o', 'wide'], {
        stdoutFile: `${dir}/pods.txt`,
      }),
    ]),
    diag('unready-pods', 'describe every pod that is not Ready', [task('describe-unready-pods', { dir })]),
    diag('logs', `logs of ${controlPlanes.join(', ')} and of unready pods in ${appNamespaces.join(', ')}`, [
      task('collect-logs', { dir: `${dir}/logs`, allPodsIn: controlPlanes, unreadyPodsIn: appNamespaces }),
    ]),
    ...(cluster.existing
      ? []
      : [
          diag('kind', 'kind node logs', [
            run(['kind', 'export', 'logs', `${dir}/kind-logs`, '--name', cluster.name]),
          ]),
        ]),
  ];
}
