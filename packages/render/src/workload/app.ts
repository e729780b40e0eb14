import type { App, Platform } from '@meshproof/spec';
import type { K8sObject, Metadata } from '../model.ts';
import { deployment } from './deployment.ts';
import { deployedVersions, deploymentName, hasCanary, selectorOf, serviceAccountName } from './names.ts';
import { autoscaler, disruptionBudget } from './scaling.ts';
import { serviceAccount, services } from './service.ts';

/** The mesh-independent objects of one app: identity, Deployments, Services, scaling and disruption budgets. */
export function workloadObjects(
  platform: Platform,
  app: App,
  podMetadata: Metadata,
  versionRouting = true,
): K8sObject[] {
  const objects: K8sObject[] = [
    serviceAccount(app, serviceAccountName(app)),
    ...services(app, versionRouting),
  ];
  for (const version of deployedVersions(app)) {
    const name = deploymentName(app, version);
    objects.push(
      deployment(platform, app, version, podMetadata),
      autoscaler(app, name),
      disruptionBudget(app, name, selectorOf(app, version)),
    );
  }
  // Flagger's primary Deployment relabels its pods app=<app>-primary; protect those too.
  if (hasCanary(app))
    objects.push(disruptionBudget(app, `${app.name}-primary`, { app: `${app.name}-primary` }));
  return objects;
}
