import type { App } from '@meshproof/spec';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { hasCanary, hasVersionServices, PORT_NAME, versionServiceName } from './names.ts';

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
 * The app's Service plus one per version for weighted routing. Canary targets get none: Flagger
 * generates `<app>`, `<app>-primary` and `<app>-canary` from the Canary.
 */
export function services(app: App): IService[] {
  if (app.port === undefined || hasCanary(app)) return [];
  const apex = service(app, app.name, { app: app.name });
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
