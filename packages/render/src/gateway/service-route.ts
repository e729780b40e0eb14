import type { IHTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import type { App, AppVersion } from '@meshproof/spec';
import { duration } from '../units.ts';
import { hasCanary, hasVersionServices, versionServiceName } from '../workload/names.ts';

type Rule = NonNullable<IHTTPRoute['spec']['rules']>[number];

function versionNamed(app: App, name: string): AppVersion {
  const version = app.versions.find((v) => v.name === name);
  if (!version) throw new Error(`app ${app.name}: route to unknown version "${name}"`);
  return version;
}

export interface ServiceRouteOptions {
  /** Mesh-specific annotations (e.g. Linkerd's retry.linkerd.io/*). */
  annotations?: Record<string, string>;
}

/** Whether the app needs a mesh route on its Service: version splits, header/path routes or a timeout. */
export const needsServiceRoute = (app: App, extra = false): boolean =>
  app.port !== undefined &&
  !hasCanary(app) &&
  (hasVersionServices(app) || app.routes.length > 0 || app.resilience.timeoutMs !== undefined || extra);

/**
 * A GAMMA route: an HTTPRoute whose parent is the app's own Service, so every meshed client's
 * requests to that Service follow it. Spec routes (headers/path → version) come first; the last rule
 * splits the rest by the versions' weights. Canary apps get none: Flagger owns their route.
 */
export function serviceRoute(app: App, options: ServiceRouteOptions = {}): IHTTPRoute | undefined {
  const port = app.port;
  if (port === undefined || hasCanary(app)) return undefined;
  const timeouts =
    app.resilience.timeoutMs === undefined ? undefined : { request: duration(app.resilience.timeoutMs) };
  const backend = (name: string, weight?: number) => ({
    name,
    port,
    ...(weight === undefined ? {} : { weight }),
  });
  const rules: Rule[] = app.routes.map((r) => ({
    matches: [
      {
        ...(r.match.pathPrefix ? { path: { type: 'PathPrefix' as const, value: r.match.pathPrefix } } : {}),
        ...(r.match.headers
          ? {
              headers: Object.entries(r.match.headers)
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([name, value]) => ({ type: 'Exact' as const, name, value })),
            }
          : {}),
      },
    ],
    backendRefs: [
      backend(hasVersionServices(app) ? versionServiceName(app, versionNamed(app, r.version)) : app.name),
    ],
    timeouts,
  }));
  rules.push({
    backendRefs: hasVersionServices(app)
      ? app.versions.map((v) => backend(versionServiceName(app, v), v.weight))
      : [backend(app.name)],
    timeouts,
  });
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: {
      name: app.name,
      namespace: app.namespace,
      ...(options.annotations && Object.keys(options.annotations).length > 0
        ? { annotations: options.annotations }
        : {}),
    },
    spec: { parentRefs: [{ group: '', kind: 'Service', name: app.name, port }], rules },
  };
}

/** Flagger's Canary `service.gatewayRefs` for a GAMMA route on the apex Service (the CRD defaults group/kind to a Gateway). */
export const flaggerServiceRefs = (app: App) => ({
  gatewayRefs: [{ name: app.name, namespace: app.namespace, group: '', kind: 'Service', port: app.port }],
});
