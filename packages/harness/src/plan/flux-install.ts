// Installing the pinned Flux controllers.
//
// The pins (versions.ts FLUX: source-controller 1.9.1, kustomize-controller 1.9.4, helm-controller
// 1.6.3, notification-controller 1.9.3) match no single flux2 release: flux2 v2.9.0 bundles
// source-controller v1.9.1 with kustomize-controller v1.9.1, and v2.9.4 bundles v1.9.4/v1.9.4/v1.6.3/
// v1.9.3 (fluxcd/flux2 manifests/bases/*/kustomization.yaml at those tags). `flux install` has no
// per-controller version flag, so the runner:
//   1. exports the Flux CLI's embedded bundle (`flux install --export`: namespace, RBAC, network
//      policies, service accounts, Deployments) — the pinned CLI's own manifests, no download;
//   2. applies it through a kustomization whose `images` set each controller's tag to its pin;
//   3. applies each controller's CRDs from that controller's own release at the pinned version
//      (<controller>.crds.yaml, the asset flux2's bases reference), over the bundle's.
// The source-controller Deployment patch in flux2's bundle is unchanged between v2.9.0 (which ran
// v1.9.1) and v2.9.4, so running v1.9.1 under the v2.9.4 bundle uses flags that version knows.
import { FLUX } from '@meshproof/render';
import { type ClusterPlan, type Step, step, task } from '../step.ts';
import { clusterRun } from './target.ts';

const CONTROLLERS = [
  ['source-controller', FLUX.sourceController],
  ['kustomize-controller', FLUX.kustomizeController],
  ['helm-controller', FLUX.helmController],
  ['notification-controller', FLUX.notificationController],
] as const;

const FLUX_NAMESPACE = 'flux-system';

/** The kustomization that pins each controller image over the exported bundle. */
export const pinningKustomization = () => ({
  apiVersion: 'kustomize.config.k8s.io/v1beta1',
  kind: 'Kustomization',
  resources: ['flux-install.yaml'],
  images: CONTROLLERS.map(([name, version]) => ({ name: `ghcr.io/fluxcd/${name}`, newTag: `v${version}` })),
});

/** `workDir`: the cluster's folder for generated install files, relative to the repository root. */
export function fluxInstallSteps(cluster: ClusterPlan, workDir: string): Step[] {
  const t = cluster.target;
  const id = (s: string) => `${cluster.name}/flux/${s}`;
  return [
    step({
      id: id('install'),
      cluster: cluster.name,
      title: `install the pinned Flux controllers (${CONTROLLERS.map(([n, v]) => `${n} ${v}`).join(', ')})`,
      timeoutMs: 5 * 60_000,
      actions: [
        {
          type: 'run',
          argv: [
            'flux',
            'install',
            '--export',
            '--components=source-controller,kustomize-controller,helm-controller,notification-controller',
          ],
          stdoutFile: `${workDir}/flux-install.yaml`,
        },
        task('write-json', { file: `${workDir}/kustomization.yaml`, value: pinningKustomization() }),
        clusterRun(t, ['kubectl', 'apply', '--server-side', '-k', workDir]),
        ...CONTROLLERS.map(([name, version]) =>
          clusterRun(t, [
            'kubectl',
            'apply',
            '--server-side',
            '--force-conflicts',
            '-f',
            `https://github.com/fluxcd/${name}/releases/download/v${version}/${name}.crds.yaml`,
          ]),
        ),
        ...CONTROLLERS.map(([name]) => ({
          type: 'kube' as const,
          op: 'wait' as const,
          target: t,
          ref: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: FLUX_NAMESPACE, name },
          condition: 'Available',
          timeoutMs: 3 * 60_000,
          why: 'the controller Deployment becomes Available once its pod is ready (image pull included)',
        })),
      ],
    }),
  ];
}
