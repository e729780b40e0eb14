import type { IHelmRelease } from '@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2/HelmRelease';
import type { Cluster } from '@meshproof/spec';
import { helmRelease, helmRepository } from '../flux/helm.ts';
import type { ExtraFile, PreFluxCommand } from '../mesh.ts';
import type { K8sObject } from '../model.ts';
import { GENERATED_HEADER, toYaml } from '../serialize.ts';
import { shellJoin } from '../shell.ts';
import { CILIUM, GATEWAY_API } from '../versions.ts';
import { TLSROUTE_V1ALPHA2_PATCH } from './gateway-api.ts';
import { ciliumValues } from './values.ts';

// Cilium is the CNI: no pod (Flux's controllers included) starts before it, so the harness installs
// it first with `helm install` and Flux adopts that release. Both read the same values file: the
// harness passes it with -f, and the layer's kustomization turns it into the ConfigMap the
// HelmRelease reads through valuesFrom. Adoption needs the same release name and namespaces as the
// live release, or helm-controller would install a second CNI beside it.
export const RELEASE = { name: 'cilium', namespace: 'kube-system' } as const;
export const VALUES_FILE = 'cilium-values.yaml';
export const VALUES_CONFIGMAP = {
  name: 'cilium-values',
  namespace: RELEASE.namespace,
  key: 'values.yaml',
} as const;

/**
 * What must run before Flux on a Cilium cluster, in order: the Gateway API CRDs Cilium's operator
 * needs (the release's standard-install.yaml, the same standard channel the crds layer applies, with
 * the same TLSRoute patch), then Cilium from the values file Flux adopts. The harness adds the
 * cluster's --kubeconfig/--context flags.
 */
export const preFluxSteps = (cluster: Cluster): PreFluxCommand[] => [
  {
    title: `Gateway API ${GATEWAY_API.version} standard CRDs`,
    argv: [
      'kubectl',
      'apply',
      '--server-side',
      '-f',
      `${GATEWAY_API.gitUrl}/releases/download/${GATEWAY_API.version}/standard-install.yaml`,
    ],
  },
  {
    title: 'serve TLSRoute v1alpha2 (as the crds layer patches it)',
    argv: [
      'kubectl',
      'patch',
      'crd',
      TLSROUTE_V1ALPHA2_PATCH.target.name,
      '--type=json',
      '-p',
      TLSROUTE_V1ALPHA2_PATCH.patch,
    ],
  },
  {
    title: `Cilium ${CILIUM.version} from the values file Flux adopts`,
    argv: [
      'helm',
      'install',
      RELEASE.name,
      'cilium',
      '--repo',
      CILIUM.helmRepo,
      '--version',
      CILIUM.version,
      '--namespace',
      RELEASE.namespace,
      '-f',
      `clusters/${cluster.name}/infrastructure/controllers/${VALUES_FILE}`,
    ],
  },
];

const valuesComment = (cluster: Cluster) =>
  [
    `Cilium ${CILIUM.version} values for ${cluster.name}. Before Flux, run in order:`,
    ...preFluxSteps(cluster).map((step) => `  ${shellJoin(step.argv)}`),
    `Flux then adopts the release (HelmRelease ${RELEASE.namespace}/${RELEASE.name} reads this file as ConfigMap ${VALUES_CONFIGMAP.name}).`,
  ]
    .map((line) => `# ${line}\n`)
    .join('');

/** The values file, plain YAML under the generated-file header. */
export function valuesFile(cluster: Cluster): ExtraFile {
  return {
    layer: 'controllers',
    name: VALUES_FILE,
    content: `${GENERATED_HEADER}${valuesComment(cluster)}${toYaml(ciliumValues(cluster))}`,
    configMap: { ...VALUES_CONFIGMAP },
  };
}

export function ciliumRelease(): K8sObject[] {
  const base = helmRelease({
    name: RELEASE.name,
    namespace: RELEASE.namespace,
    repository: 'cilium',
    chart: 'cilium',
    version: CILIUM.version,
    // The chart ships no CRDs (the operator registers them). Never prune: removing the release
    // uninstalls the cluster's network.
    crds: 'Skip',
    ownsCrds: true,
  });
  if (!base.spec) throw new Error('helmRelease() returned no spec');
  const release: IHelmRelease = {
    ...base,
    spec: {
      ...base.spec,
      storageNamespace: RELEASE.namespace,
      valuesFrom: [{ kind: 'ConfigMap', name: VALUES_CONFIGMAP.name, valuesKey: VALUES_CONFIGMAP.key }],
    },
  };
  return [helmRepository('cilium', CILIUM.helmRepo), release];
}
