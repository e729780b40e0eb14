import type { ICertificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import type { IClusterIssuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer';
import type { IIssuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Issuer';
import { conditionTrue, type HealthCheckExpr } from '../flux/health.ts';
import type { K8sObject } from '../model.ts';

// Linkerd's identity chain, issued by cert-manager and published by trust-manager, following
// Linkerd's "automatically rotating control plane TLS credentials" guide: a self-signed root
// (trust anchor) signs the identity issuer; Linkerd signs workload certificates with the issuer.

export const CERT_MANAGER_NAMESPACE = 'cert-manager';
export const LINKERD_NAMESPACE = 'linkerd';
/** Fixed names Linkerd reads with identity.externalCA=true: issuer Secret and trust-roots ConfigMap. */
export const ISSUER_SECRET = 'linkerd-identity-issuer';
export const TRUST_ROOTS = 'linkerd-identity-trust-roots';
export const TRUST_ANCHOR_SECRET = 'linkerd-trust-anchor';
const ROOT_ISSUER = 'linkerd-trust-root-issuer';
const ANCHOR_ISSUER = 'linkerd-identity-issuer';

/**
 * Lifetimes. The issuer lives 2h and is renewed 1h before expiry, so it rotates every hour and a
 * long e2e run sees several rotations (cert-manager refuses durations under 1h). Linkerd clamps
 * each workload certificate to the issuer's expiry, so rotation never leaves an expired chain.
 * The root lives a year: rotating it would need the previous root in the bundle during the
 * overlap, and that copy is an imperative step in Linkerd's guide that GitOps cannot express.
 */
export const LIFETIMES = {
  root: { duration: '8760h0m0s', renewBefore: '720h0m0s' },
  issuer: { duration: '2h0m0s', renewBefore: '1h0m0s' },
} as const;

// cert-manager ≥1.18 changed the rotationPolicy default, so it is always set. The issuer gets a new
// key at every renewal. The root keeps its key when cert-manager renews it: the trust bundle holds
// only the current root, and a new root key would orphan the issuer and every proxy certificate.
const p256 = (rotationPolicy: 'Always' | 'Never') => ({
  algorithm: 'ECDSA' as const,
  size: 256,
  rotationPolicy,
});

/** trust.cert-manager.io/v1alpha1 Bundle (no published typed model); cluster-scoped. */
export interface Bundle extends K8sObject {
  apiVersion: 'trust.cert-manager.io/v1alpha1';
  kind: 'Bundle';
  metadata: { name: string };
  spec: {
    sources: { secret: { name: string; key: string } }[];
    target: { configMap: { key: string }; namespaceSelector: { matchLabels: Record<string, string> } };
  };
}

/** Label trust-manager selects target namespaces by; the linkerd namespace carries it. */
export const CONTROL_PLANE_LABEL = { 'linkerd.io/is-control-plane': 'true' } as const;

/** A CA certificate whose Secret carries the same name as the Certificate. */
function caCertificate(
  metadata: { name: string; namespace: string },
  commonName: string,
  lifetime: { duration: string; renewBefore: string },
  issuerRef: { kind: string; name: string },
  rotationPolicy: 'Always' | 'Never',
): ICertificate {
  return {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata,
    spec: {
      isCA: true,
      commonName,
      secretName: metadata.name,
      ...lifetime,
      privateKey: p256(rotationPolicy),
      issuerRef: { ...issuerRef, group: 'cert-manager.io' },
    },
  };
}

export function identityCertificates(): K8sObject[] {
  const selfSigned: IIssuer = {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Issuer',
    metadata: { name: ROOT_ISSUER, namespace: CERT_MANAGER_NAMESPACE },
    spec: { selfSigned: {} },
  };
  const root = caCertificate(
    { name: TRUST_ANCHOR_SECRET, namespace: CERT_MANAGER_NAMESPACE },
    'root.linkerd.cluster.local',
    LIFETIMES.root,
    { kind: 'Issuer', name: ROOT_ISSUER },
    'Never',
  );
  // A ClusterIssuer: the root's Secret stays in cert-manager's namespace, the issuer lands in linkerd.
  const anchorIssuer: IClusterIssuer = {
    apiVersion: 'cert-manager.io/v1',
    kind: 'ClusterIssuer',
    metadata: { name: ANCHOR_ISSUER },
    spec: { ca: { secretName: TRUST_ANCHOR_SECRET } },
  };
  const issuer = caCertificate(
    { name: ISSUER_SECRET, namespace: LINKERD_NAMESPACE },
    'identity.linkerd.cluster.local',
    LIFETIMES.issuer,
    { kind: 'ClusterIssuer', name: ANCHOR_ISSUER },
    'Always',
  );
  const bundle: Bundle = {
    apiVersion: 'trust.cert-manager.io/v1alpha1',
    kind: 'Bundle',
    // trust-manager names the ConfigMap it writes after the Bundle.
    metadata: { name: TRUST_ROOTS },
    spec: {
      sources: [{ secret: { name: TRUST_ANCHOR_SECRET, key: 'tls.crt' } }],
      target: {
        configMap: { key: 'ca-bundle.crt' },
        namespaceSelector: { matchLabels: { ...CONTROL_PLANE_LABEL } },
      },
    },
  };
  return [selfSigned, root, anchorIssuer, issuer, bundle];
}

/**
 * When the identity layer is ready: cert-manager's Issuers and Certificates report condition Ready
 * and trust-manager's Bundle condition Synced (its ConfigMap is written); kstatus knows neither.
 */
export const identityHealthChecks: HealthCheckExpr[] = [
  { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', current: conditionTrue('Ready') },
  { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', current: conditionTrue('Ready') },
  { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', current: conditionTrue('Ready') },
  { apiVersion: 'trust.cert-manager.io/v1alpha1', kind: 'Bundle', current: conditionTrue('Synced') },
];
