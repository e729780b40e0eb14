// Linkerd publishes no typed models, so these interfaces follow the pinned CRD schemas
// (linkerd-crds chart, version-2.20); tests validate every rendered object against those CRDs.
import type { K8sObject, ObjectMeta } from '../model.ts';

export const POLICY_GROUP = 'policy.linkerd.io';
export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

type Named = ObjectMeta & { name: string; namespace: string };

/** Server v1beta3 (storage version): one port of the selected pods; unauthorized traffic is denied. */
export interface Server extends K8sObject {
  metadata: Named;
  apiVersion: 'policy.linkerd.io/v1beta3';
  kind: 'Server';
  spec: {
    podSelector: { matchLabels: Record<string, string> };
    port: string | number;
    proxyProtocol?: 'unknown' | 'HTTP/1' | 'HTTP/2' | 'gRPC' | 'opaque' | 'TLS';
    accessPolicy?: string;
  };
}

export interface ServiceAccountRef {
  kind: 'ServiceAccount';
  name: string;
  namespace: string;
}

export interface MeshTLSAuthentication extends K8sObject {
  metadata: Named;
  apiVersion: 'policy.linkerd.io/v1alpha1';
  kind: 'MeshTLSAuthentication';
  /** identities: `<sa>.<ns>.serviceaccount.identity.<control-plane ns>.<trust domain>` strings. */
  spec: { identityRefs: ServiceAccountRef[] } | { identities: string[] };
}

export interface NetworkAuthentication extends K8sObject {
  metadata: Named;
  apiVersion: 'policy.linkerd.io/v1alpha1';
  kind: 'NetworkAuthentication';
  spec: { networks: { cidr: string; except?: string[] }[] };
}

export interface PolicyRef {
  group: string;
  kind: string;
  name: string;
}

/** Every authentication in requiredAuthenticationRefs must match for a request to be allowed. */
export interface AuthorizationPolicy extends K8sObject {
  metadata: Named;
  apiVersion: 'policy.linkerd.io/v1alpha1';
  kind: 'AuthorizationPolicy';
  spec: { targetRef: PolicyRef; requiredAuthenticationRefs: PolicyRef[] };
}
