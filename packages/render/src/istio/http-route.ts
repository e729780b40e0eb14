import type { IHTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import type { App } from '@meshproof/spec';
import { duration } from '../units.ts';
import { hasVersionServices, versionServiceName } from '../workload/names.ts';

/**
 * GAMMA routing: an HTTPRoute whose parent is the app's own Service, so the mesh (here the waypoint)
 * applies it to every call of that Service. Header/path routes pin a version; the default rule splits
 * by weight across the per-version Services.
 */
export function serviceRoute(app: App): IHTTPRoute | undefined {
  const port = app.port;
  if (port === undefined) return undefined;
  const timeouts =
    app.resilience.timeoutMs === undefined ? undefined : { request: duration(app.resilience.timeoutMs) };
  const versioned = hasVersionServices(app);
  if (!versioned && timeouts === undefined) return undefined;
  const backend = (name: string, weight?: number) => ({ group: '', kind: 'Service', name, port, weight });
  const byName = (version: string) => {
    const v = app.versions.find((x) => x.name === version);
    return v ? versionServiceName(app, v) : app.name;
  };
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: app.name, namespace: app.namespace },
    spec: {
      parentRefs: [{ group: '', kind: 'Service', name: app.name, port }],
      rules: [
        ...app.routes.map((route) => ({
          matches: [
            {
              headers: route.match.headers
                ? Object.entries(route.match.headers).map(([name, value]) => ({
                    type: 'Exact' as const,
                    name,
                    value,
                  }))
                : undefined,
              path: route.match.pathPrefix
                ? { type: 'PathPrefix' as const, value: route.match.pathPrefix }
                : undefined,
            },
          ],
          backendRefs: [backend(byName(route.version))],
          timeouts,
        })),
        {
          backendRefs: versioned
            ? app.versions.map((v) => backend(versionServiceName(app, v), v.weight))
            : [backend(app.name)],
          timeouts,
        },
      ],
    },
  };
}
