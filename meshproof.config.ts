// The one file to edit: which clusters exist, which mesh each runs, and the apps they all run.
// Validate with `./dev meshproof validate`; render with `./dev meshproof render`.
import { definePlatform } from '@meshproof/spec';

const workers = [{ role: 'server' as const }, { role: 'load' as const }];

export default definePlatform({
  clusters: [
    { name: 'kind-baseline', mesh: 'none', nodes: { workers } },
    { name: 'kind-istio-ambient', mesh: 'istio-ambient', istio: { waypoint: true }, nodes: { workers } },
    { name: 'kind-istio-sidecar', mesh: 'istio-sidecar', nodes: { workers } },
    { name: 'kind-linkerd', mesh: 'linkerd', linkerd: { viz: false }, nodes: { workers } },
    {
      name: 'kind-cilium',
      mesh: 'cilium',
      cilium: { mutualAuth: true, encryption: 'wireguard' },
      nodes: { workers },
    },
  ],
  apps: [
    {
      name: 'frontend',
      namespace: 'shop',
      image: 'meshproof/frontend:0.1.0',
      port: 8080,
      versions: [{ name: 'v1', weight: 100 }],
      calls: [
        { app: 'backend', methods: ['GET'] },
        { app: 'catalog', methods: ['GET'] },
      ],
      resilience: { timeoutMs: 5000 },
      // No `expose` here: kind-baseline and kind-linkerd have no ingress gateway, so the spec refuses it.
    },
    {
      name: 'backend',
      namespace: 'shop',
      image: 'meshproof/backend:0.1.0',
      port: 8080,
      versions: [
        { name: 'v1', weight: 100 },
        { name: 'v2', weight: 0 },
      ],
      resilience: {
        timeoutMs: 2000,
        retries: { attempts: 2, perTryTimeoutMs: 1000 },
        circuitBreaker: { maxConnections: 100, maxPendingRequests: 50 },
        outlierDetection: {
          consecutive5xxErrors: 5,
          intervalSeconds: 10,
          baseEjectionSeconds: 30,
          maxEjectionPercent: 50,
        },
      },
      canary: {
        intervalSeconds: 30,
        threshold: 5,
        maxWeight: 50,
        stepWeight: 10,
        minSuccessRate: 99,
        maxP99Ms: 500,
      },
    },
    {
      // Header routing (blue/green by request): v2 is deployed but takes no traffic, except requests
      // carrying `x-version: v2`. Not a canary target: Flagger owns a canary's routes.
      name: 'catalog',
      namespace: 'shop',
      image: 'meshproof/backend:0.1.0',
      port: 8080,
      versions: [
        { name: 'v1', weight: 100 },
        { name: 'v2', weight: 0 },
      ],
      routes: [{ match: { headers: { 'x-version': 'v2' } }, version: 'v2' }],
      resilience: { timeoutMs: 2000 },
    },
  ],
  security: { mtls: 'STRICT', defaultDeny: true },
  observability: { prometheus: true, grafana: true, tracing: false, logs: false },
});
