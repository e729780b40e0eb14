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
