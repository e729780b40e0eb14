import type { Cluster, Platform } from '@meshproof/spec';
import { probeMatrix } from './probes.ts';

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
  return [
    step('create the kind cluster (node image pinned by digest in kind.yaml)', [
      `kind create cluster --name ${cluster.name} --config ${dir}/kind.yaml --wait 120s`,
    ]),
    step(
      'load the demo images (built from a local base, no registry)',
      images(platform).map((image) => `kind load docker-image ${image} --name ${cluster.name}`),
    ),
    ...(cluster.mesh === 'cilium'
      ? [
          step('install Cilium before Flux (it is the CNI); Flux adopts the same release', [
            `kubectl apply --server-side: Gateway API v1.5.1 standard CRDs with the patches in ${dir}/infrastructure/crds/gateway-api.yaml`,
            `helm install cilium, exactly as the header of ${dir}/infrastructure/controllers/cilium-values.yaml says`,
          ]),
        ]
      : []),
    step('install Flux and point it at the rendered tree through a local OCI registry', [
      'flux install',
      `flux push artifact (the repository as an OCI artifact, served from a local registry on the kind network)`,
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

/** The e2e steps for every cluster in the spec, in the order they run. */
export const e2ePlan = (platform: Platform): PlanStep[] =>
  platform.clusters.flatMap((c) => clusterSteps(platform, c));

export const formatPlan = (steps: readonly PlanStep[]): string =>
  steps
    .map((s, i) => [`${i + 1}. [${s.cluster}] ${s.title}`, ...s.commands.map((c) => `     ${c}`)].join('\n'))
    .join('\n');
