import type { App } from '@meshproof/spec';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { hasCanary, hasVersionServices, PORT_NAME, VERSION_LABEL, versionServiceName } from './names.ts';

function service(app: App, name: string, selector: Record<string, string>): IService {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: app.namespace, labels: { app: app.name } },
    spec: {
      selector,
      ports: [
        { name: PORT_NAME, port: app.port ?? 0, targetPort: PORT_NAME, protocol: 'TCP', appProtocol: 'http' },
      ],
    },
  };
}

/**
 * Where the app's Service sends requests when no proxy routes them by version: to the one version
 * with weight 100 (a weight-0 version, e.g. one reached only through a header route, gets nothing),
 * or to every version when the weights split (the mesh's caveats say so).
 */
function unroutedSelector(app: App): Record<string, string> {
  const only = app.versions.length > 1 ? app.versions.find((v) => v.weight === 100) : undefined;
  return only ? { app: app.name, [VERSION_LABEL]: only.name } : { app: app.name };
}

/**
 * The app's Service plus one per version for weighted routing. Canary targets get none: Flagger
 * generates `<app>`, `<app>-primary` and `<app>-canary` from the Canary. With `versionRouting`
 * (a proxy routes by version) the Service selects every version: the proxy picks among them.
 */
export function services(app: App, versionRouting = true): IService[] {
  if (app.port === undefined || hasCanary(app)) return [];
  const apex = service(app, app.name, versionRouting ? { app: app.name } : unroutedSelector(app));
  if (!hasVersionServices(app)) return [apex];
  return [
    apex,
    ...app.versions.map((v) => service(app, versionServiceName(app, v), { app: app.name, version: v.name })),
  ];
}

export function serviceAccount(app: App, name: string): IServiceAccount {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name, namespace: app.namespace, labels: { app: app.name } },
    // The demo apps never call the Kubernetes API.
    automountServiceAccountToken: false,
  };
}
