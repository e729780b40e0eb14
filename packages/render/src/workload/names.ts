import type { App, AppVersion, Call, Platform } from '@meshproof/spec';

// Naming and selection rules shared by the core and every mesh plug-in, so that a policy always
// selects exactly the pods and ServiceAccounts the workload renderer created.

/** Label every pod of an app carries, unchanged by Flagger (which rewrites `app` on primaries). */
export const APP_LABEL = 'meshproof/app';
export const VERSION_LABEL = 'version';
export const PORT_NAME = 'http';

/**
 * A workload that may call apps: an app of the spec, or one the core adds (the Flagger loadtester).
 * Its pods carry APP_LABEL=<name> and run as serviceAccountName(<caller>) in its namespace.
 */
export interface Caller {
  name: string;
  namespace: string;
  serviceAccount?: string;
}

export const serviceAccountName = (workload: Caller) => workload.serviceAccount ?? workload.name;

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

/**
 * Where an app's code runs once the cluster has settled, for `kubectl exec`: Flagger scales the
 * Deployment `<app>` of a canary to zero and serves from `<app>-primary`; otherwise the stable
 * version's Deployment. Its app container is named after the app (deployment.ts).
 */
export const servingWorkload = (app: App) => ({
  namespace: app.namespace,
  deployment: hasCanary(app) ? `${app.name}-primary` : deploymentName(app, stableVersion(app)),
  container: app.name,
});

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

/**
 * Flagger's loadtester: one per namespace that holds a canary app, released from the `loadtester`
 * chart with this name (its Service, ServiceAccount and the APP_LABEL of its pods).
 */
export const LOADTESTER = 'flagger-loadtester';

const isLoadTarget = (app: App) => hasCanary(app) && app.port !== undefined;

/** Canary apps with a port: the ones the namespace's loadtester sends load to. */
export const loadTargets = (platform: Platform, namespace: string): App[] =>
  appsIn(platform, namespace).filter(isLoadTarget);

export const loadtesterCaller = (namespace: string): Caller => ({
  name: LOADTESTER,
  namespace,
  serviceAccount: LOADTESTER,
});

/**
 * The loadtester's implicit call: GET (what `hey` sends, see flagger/loadtester.ts), any path, to a
 * canary app of its own namespace.
 */
const loadCall = (callee: App): Call => ({ app: callee.name, methods: ['GET'] });

/**
 * Who may call `callee`, with the call itself: the apps that list it in their calls and, for a canary
 * app, its namespace's Flagger loadtester, which generates the analysis traffic. Every mesh builds its
 * caller authorization from this list, so the loadtester is admitted like any other caller.
 */
export const callersOf = (platform: Platform, callee: App): { caller: Caller; call: Call }[] => [
  ...platform.apps.flatMap((caller) =>
    caller.calls.filter((c) => c.app === callee.name).map((call) => ({ caller, call })),
  ),
  ...(isLoadTarget(callee) ? [{ caller: loadtesterCaller(callee.namespace), call: loadCall(callee) }] : []),
];

export const serviceHost = (app: App) => `${app.name}.${app.namespace}.svc.cluster.local`;

/** A Deployment's selector: the app, plus the version when versions run side by side. */
export const selectorOf = (app: App, version: AppVersion): Record<string, string> =>
  hasCanary(app) ? { app: app.name } : { app: app.name, [VERSION_LABEL]: version.name };
