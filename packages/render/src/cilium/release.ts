import type { IHelmRelease } from '@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2/HelmRelease';
import type { Cluster } from '@meshproof/spec';
import { helmRelease, helmRepository } from '../flux/helm.ts';
import type { ExtraFile } from '../mesh.ts';
import type { K8sObject } from '../model.ts';
import { GENERATED_HEADER, toYaml } from '../serialize.ts';
import { CILIUM, GATEWAY_API } from '../versions.ts';
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

/** What must run before Flux on a Cilium cluster, in order: the CRDs Cilium's operator needs, then Cilium. */
export const preFluxSteps = (cluster: Cluster): string[] => [
  `kubectl apply --server-side: the Gateway API ${GATEWAY_API.version} standard CRDs with the patches of clusters/${cluster.name}/infrastructure/crds/gateway-api.yaml (TLSRoute v1alpha2 served)`,
  `helm install ${RELEASE.name} cilium --repo ${CILIUM.helmRepo} --version ${CILIUM.version} --namespace ${RELEASE.namespace} -f clusters/${cluster.name}/infrastructure/controllers/${VALUES_FILE}`,
];

const valuesComment = (cluster: Cluster) =>
  [
    `Cilium ${CILIUM.version} values for ${cluster.name}. Before Flux, run in order:`,
    ...preFluxSteps(cluster).map((step) => `  ${step}`),
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
