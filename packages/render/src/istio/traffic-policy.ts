import type { IDestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule';
import type { App } from '@meshproof/spec';
import { duration } from '../units.ts';

type TrafficPolicy = NonNullable<NonNullable<IDestinationRule['spec']>['trafficPolicy']>;

/** Connection pool (circuit breaker) and outlier detection from the spec, or nothing. */
export function trafficPolicy(app: App): TrafficPolicy | undefined {
  const { circuitBreaker: cb, outlierDetection: od } = app.resilience;
  if (!cb && !od) return undefined;
  return {
    connectionPool: cb
      ? {
          tcp: { maxConnections: cb.maxConnections },
          http: {
            http1MaxPendingRequests: cb.maxPendingRequests,
            maxRequestsPerConnection: cb.maxRequestsPerConnection,
          },
        }
      : undefined,
    outlierDetection: od
      ? {
          consecutive5xxErrors: od.consecutive5xxErrors,
          interval: `${od.intervalSeconds}s`,
          baseEjectionTime: `${od.baseEjectionSeconds}s`,
          maxEjectionPercent: od.maxEjectionPercent,
        }
      : undefined,
  };
}

/**
 * The same policy in the shape Flagger's Canary accepts: its CRD has no `connectionPool.tcp`, so the
 * API server would silently prune it. A connection cap becomes a cap on concurrent requests
 * (`http2MaxRequests`), the closest limit the schema offers.
 */
export function canaryTrafficPolicy(app: App): TrafficPolicy | undefined {
  const policy = trafficPolicy(app);
  const cb = app.resilience.circuitBreaker;
  if (!policy?.connectionPool || !cb) return policy;
  return {
    ...policy,
    connectionPool: { http: { ...policy.connectionPool.http, http2MaxRequests: cb.maxConnections } },
  };
}

export function destinationRule(
  app: App,
  name: string,
  host: string,
  policy: TrafficPolicy | undefined,
  subsets?: { name: string; labels: Record<string, string> }[],
): IDestinationRule {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name, namespace: app.namespace },
    spec: { host, trafficPolicy: policy, subsets },
  };
}

/** Istio's retry block: attempts, per-try timeout and the conditions (same names as the spec's). */
export function retries(app: App) {
  const r = app.resilience.retries;
  if (!r) return undefined;
  return {
    attempts: r.attempts,
    perTryTimeout: r.perTryTimeoutMs === undefined ? undefined : duration(r.perTryTimeoutMs),
    retryOn: r.on.join(','),
  };
}
