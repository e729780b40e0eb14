import type { App } from '@meshproof/spec';
import { type Caveat, resilienceFields, weightedSplit } from '../caveats.ts';
import type { MeshContext } from '../mesh.ts';
import { GATEWAY_API } from '../versions.ts';
import { hasCanary } from '../workload/names.ts';
import { usesWaypoint } from './waypoint.ts';

const NEEDS_WAYPOINT = 'L7 routing in ambient needs a waypoint (istio.waypoint: true)';

export function ambientCaveats(ctx: MeshContext, app: App): Caveat[] {
  if (!usesWaypoint(ctx)) {
    return [
      ...(app.routes.length > 0 ? [{ field: 'routes', reason: NEEDS_WAYPOINT }] : []),
      ...(weightedSplit(app) ? [{ field: 'versions', reason: NEEDS_WAYPOINT }] : []),
      ...resilienceFields(
        app,
        ['timeoutMs', 'retries', 'circuitBreaker', 'outlierDetection'],
        NEEDS_WAYPOINT,
      ),
    ];
  }
  // Flagger owns a canary's HTTPRoute, and its Gateway API router sets no retries.
  return hasCanary(app)
    ? resilienceFields(
        app,
        ['retries'],
        `Flagger's Gateway API router and the ${GATEWAY_API.version} standard HTTPRoute carry no retries`,
      )
    : [];
}

export const sidecarCaveats = (app: App): Caveat[] =>
  hasCanary(app) && app.resilience.circuitBreaker
    ? [
        {
          field: 'resilience.circuitBreaker.maxConnections',
          reason:
            "the Canary's traffic policy has no TCP connection cap; it is applied as http2MaxRequests instead",
        },
      ]
    : [];
