import type { App } from '@meshproof/spec';
import { type Caveat, l7Calls, resilienceFields, weightedSplit } from '../caveats.ts';
import type { PermissiveMtls } from '../mesh.ts';
import { hasCanary } from '../workload/names.ts';

const NO_PROXY = 'no proxy sits in the request path without a mesh';

export function baselineCaveats(app: App): Caveat[] {
  return [
    ...l7Calls(
      app,
      'NetworkPolicies stop at L4: the call is allowed on the port, its methods and paths are not enforced',
    ),
    ...(app.routes.length > 0
      ? [{ field: 'routes', reason: `header and path routes need a proxy; ${NO_PROXY}` }]
      : []),
    ...(weightedSplit(app)
      ? [
          {
            field: 'versions',
            reason: "weights need a proxy; the Service spreads requests over every version's pods",
          },
        ]
      : []),
    ...resilienceFields(app, ['timeoutMs', 'retries', 'circuitBreaker', 'outlierDetection'], NO_PROXY),
    ...(hasCanary(app)
      ? [
          {
            field: 'canary.stepWeight',
            reason:
              'without a proxy Flagger runs blue/green: maxWeight/stepWeight only set how many analysis rounds run before all traffic switches at once',
          },
        ]
      : []),
  ];
}

export const baselinePermissive: PermissiveMtls = {
  applied: false,
  meaning: 'without a mesh there is no mTLS to relax: traffic between pods is plaintext either way',
};
