// Which mesh a namespace belongs to, read from the labels/annotations the meshes themselves use.
import { get, helmValues, named, ofKind } from './k8s.ts';
import type { ClusterSet, K8sObject } from './model.ts';

export type IstioMode = 'ambient' | 'sidecar' | undefined;

export function istioMode(ns: K8sObject): IstioMode {
  if (ns.labels['istio.io/dataplane-mode'] === 'ambient') return 'ambient';
  if (ns.labels['istio-injection'] === 'enabled' || ns.labels['istio.io/rev'] !== undefined) return 'sidecar';
  return undefined;
}

export const linkerdMeshed = (ns: K8sObject): boolean => ns.annotations['linkerd.io/inject'] === 'enabled';

export const namespaces = (c: ClusterSet): K8sObject[] =>
  ofKind(c, 'Namespace').filter((o) => o.apiVersion === 'v1');

export const namespaceObject = (c: ClusterSet, name: string): K8sObject | undefined =>
  named(c, 'Namespace', '', name).find((o) => o.apiVersion === 'v1');

/** Istio's root namespace: where mesh-wide policies live (meshConfig.rootNamespace, default istio-system). */
export function istioRootNamespace(c: ClusterSet): string {
  const root = get(helmValues(c, 'istiod'), ['meshConfig', 'rootNamespace']);
  return typeof root === 'string' ? root : 'istio-system';
}

export const isAmbientNamespace = (c: ClusterSet, ns: string): boolean => {
  const n = namespaceObject(c, ns);
  return n !== undefined && istioMode(n) === 'ambient';
};
