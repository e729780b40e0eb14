import type { App, AppVersion, Platform } from '@meshproof/spec';

// Naming and selection rules shared by the core and every mesh plug-in, so that a policy always
// selects exactly the pods and ServiceAccounts the workload renderer created.

/** Label every pod of an app carries, unchanged by Flagger (which rewrites `app` on primaries). */
export const APP_LABEL = 'meshproof/app';
export const VERSION_LABEL = 'version';
export const PORT_NAME = 'http';

export const serviceAccountName = (app: App) => app.serviceAccount ?? app.name;

/** Flagger owns the rollout: one Deployment `<app>`, no committed Services, no fixed splits. */
export const hasCanary = (app: App) => app.canary?.enabled === true;

/** The version a canary starts from (spec validation guarantees one with weight 100). */
export function stableVersion(app: App): AppVersion {
  const stable = app.versions.find((v) => v.weight === 100) ?? app.versions[0];
  if (!stable) throw new Error(`app ${app.name} has no versions`);
  return stable;
}

/** Versions that get their own Deployment: all of them, or only the stable one under a canary. */
export const deployedVersions = (app: App): AppVersion[] =>
  hasCanary(app) ? [stableVersion(app)] : app.versions;

export const deploymentName = (app: App, version: AppVersion) =>
  hasCanary(app) ? app.name : `${app.name}-${version.name}`;

/** Per-version Services exist for weighted or header routing between several versions. */
export const hasVersionServices = (app: App) =>
  !hasCanary(app) && app.port !== undefined && app.versions.length > 1;
export const versionServiceName = (app: App, version: AppVersion) => `${app.name}-${version.name}`;

/** Apps' namespaces, sorted and unique. */
export const appNamespaces = (platform: Platform): string[] =>
  [...new Set(platform.apps.map((a) => a.namespace))].sort();

export const appsIn = (platform: Platform, namespace: string): App[] =>
  platform.apps.filter((a) => a.namespace === namespace);

export const findApp = (platform: Platform, name: string): App | undefined =>
  platform.apps.find((a) => a.name === name);

/** Apps that list `callee` in their calls, with the call itself. */
export const callersOf = (platform: Platform, callee: App) =>
  platform.apps.flatMap((caller) =>
    caller.calls.filter((c) => c.app === callee.name).map((call) => ({ caller, call })),
  );

export const serviceHost = (app: App) => `${app.name}.${app.namespace}.svc.cluster.local`;

/** A Deployment's selector: the app, plus the version when versions run side by side. */
export const selectorOf = (app: App, version: AppVersion): Record<string, string> =>
  hasCanary(app) ? { app: app.name } : { app: app.name, [VERSION_LABEL]: version.name };
