// Test-only: maps apiVersion/kind to its @kubernetes-models class, so tests can `.validate()` every
// rendered object a typed model covers (validation at render time would slow every render).

import { Certificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import { ClusterIssuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer';
import { Issuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Issuer';
import { CiliumNetworkPolicy } from '@kubernetes-models/cilium/cilium.io/v2/CiliumNetworkPolicy';
import { HelmRelease } from '@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2/HelmRelease';
import { Kustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization';
import { GitRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/GitRepository';
import { HelmRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/HelmRepository';
import { OCIRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/OCIRepository';
import { Gateway } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway';
import { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import { DestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule';
import { VirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService';
import { AuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import { PeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { K8sObject } from './model.ts';

type Validatable = { validate(): void };
type ModelClass = (new (data: never) => Validatable) & { apiVersion: string; kind: string };

const MODELS: ModelClass[] = [
  Namespace,
  ServiceAccount,
  Service,
  ConfigMap,
  Deployment,
  HorizontalPodAutoscaler,
  PodDisruptionBudget,
  NetworkPolicy,
  GitRepository,
  OCIRepository,
  HelmRepository,
  HelmRelease,
  Kustomization,
  Gateway,
  HTTPRoute,
  PeerAuthentication,
  AuthorizationPolicy,
  DestinationRule,
  VirtualService,
  Certificate,
  ClusterIssuer,
  Issuer,
  CiliumNetworkPolicy,
] as unknown as ModelClass[];

const byType = new Map(MODELS.map((m) => [`${m.apiVersion}/${m.kind}`, m]));

/** Validates with the typed model; returns false when no model covers the kind. */
export function validateWithModel(object: K8sObject): boolean {
  const Model = byType.get(`${object.apiVersion}/${object.kind}`);
  if (!Model) return false;
  new Model(object as never).validate();
  return true;
}
