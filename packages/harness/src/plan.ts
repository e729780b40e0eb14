import { FLUX, preFluxSteps } from '@meshproof/render';
import type { Cluster, Platform } from '@meshproof/spec';
import { probeMatrix } from './probes/index.ts';

export interface PlanStep {
  cluster: string;
  title: string;
  commands: string[];
}

const images = (platform: Platform) =>
  [
    ...new Set(
      platform.apps.flatMap((app) => [app.image, ...app.versions.flatMap((v) => (v.image ? [v.image] : []))]),
    ),
  ].sort();

function clusterSteps(platform: Platform, cluster: Cluster): PlanStep[] {
  const dir = `clusters/${cluster.name}`;
  const step = (title: string, commands: string[]): PlanStep => ({ cluster: cluster.name, title, commands });
  const probes = probeMatrix(platform, cluster);
  const canaries = platform.apps.filter((app) => app.canary?.enabled);
  const preFlux = preFluxSteps(platform, cluster);
  return [
    step('create the kind cluster (node image pinned by digest in kind.yaml)', [
      `kind create cluster --name ${cluster.name} --config ${dir}/kind.yaml --wait 120s`,
    ]),
    step(
      'load the demo images (built from apps/images/Dockerfile; no registry needed)',
      images(platform).map((image) => `kind load docker-image ${image} --name ${cluster.name}`),
    ),
    ...(preFlux.length > 0 ? [step(`before Flux, for ${cluster.mesh}`, preFlux)] : []),
    step('install the pinned Flux controllers and serve this checkout as the flux-system source', [
      `Flux controllers: source ${FLUX.sourceController}, kustomize ${FLUX.kustomizeController}, helm ${FLUX.helmController}, notification ${FLUX.notificationController}`,
      'GitRepository flux-system (what every rendered Kustomization reads) pointed at this checkout, served on the kind network',
      `kubectl apply -k ${dir}/flux`,
    ]),
    step('wait for the Kustomizations in order', [
      ...['crds', 'controllers', 'configs', 'apps'].map(
        (k) => `kubectl -n flux-system wait kustomization/${k} --for=condition=Ready --timeout=10m`,
      ),
    ]),
    step(
      `prove the policy by traffic (${probes.length} probes)`,
      probes.map((p) => `${p.from} → ${p.to}: ${p.method} ${p.path} expect ${p.expect} (${p.why})`),
    ),
    ...canaries.map((app) =>
      step(`Flagger canary for ${app.name}: promote a healthy version, then roll back a faulty one`, [
        `promote: roll out ${app.name} ${app.versions.find((v) => v.weight === 0)?.name ?? 'next'} and wait for Canary phase Succeeded`,
        `roll back: roll out with FAULT_ERROR_RATE=0.5 and wait for Canary phase Failed`,
      ]),
    ),
    step('on failure collect diagnostics; always delete the cluster', [
      `kind delete cluster --name ${cluster.name}`,
    ]),
  ];
}

// The images every cluster loads are built once, before any cluster exists.
const buildStep = (platform: Platform): PlanStep => ({
  cluster: 'all clusters',
  title: 'build the demo images (esbuild bundle + apps/images/Dockerfile)',
  commands: platform.apps.map(
    (app) => `docker build -f apps/images/Dockerfile --build-arg APP=${app.name} -t ${app.image} apps`,
  ),
});

/** The e2e steps for every cluster in the spec, in the order they run. */
export const e2ePlan = (platform: Platform): PlanStep[] => [
  buildStep(platform),
  ...platform.clusters.flatMap((c) => clusterSteps(platform, c)),
];

export const formatPlan = (steps: readonly PlanStep[]): string =>
  steps
    .map((s, i) => [`${i + 1}. [${s.cluster}] ${s.title}`, ...s.commands.map((c) => `     ${c}`)].join('\n'))
    .join('\n');
