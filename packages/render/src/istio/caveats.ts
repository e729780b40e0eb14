import type { App } from '@meshproof/spec';
import { type Caveat, resilienceFields, weightedSplit } from '../caveats.ts';
import type { MeshContext, PermissiveMtls } from '../mesh.ts';
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

/**
 * PERMISSIVE is Istio's own mode (the mesh-wide PeerAuthentication): the proxies also accept
 * plaintext, which carries no identity. The doctor's SEC001 flags every meshed namespace for it.
 */
export const istioPermissive = (proxy: string, defaultDeny: boolean): PermissiveMtls => ({
  applied: true,
  meaning: `PeerAuthentication istio-system/default is PERMISSIVE: ${proxy} also accepts plaintext, which carries no identity${
    defaultDeny
      ? ', so callers are still admitted only by principal and plaintext reaches nothing an allow rule names'
      : ', and without default deny plaintext callers reach every app'
  }`,
  accepts: ['SEC001'],
});
