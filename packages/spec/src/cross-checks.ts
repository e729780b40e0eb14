import { derivedServiceNames, serviceNameProblem } from './derived-names.ts';
import { didYouMean } from './suggest.ts';
import type { App, Cluster, Mesh, Platform, SpecError } from './types.ts';

// Namespaces the meshes, Flux and Kubernetes own: apps placed there would fight the platform.
const RESERVED_NAMESPACE =
  /^(kube-.*|default|flux-system|istio-system|linkerd.*|cilium.*|cert-manager|monitoring|flagger-system|ingress)$/;

// Flagger's load generator runs beside canary apps under this name (and ServiceAccount).
const LOADTESTER = 'flagger-loadtester';

/**
 * What the e2e zero-trust probes add to a cluster (packages/harness/src/probes/workloads.ts): a
 * namespace of their own for the plaintext client, and in each app namespace a workload whose name
 * and ServiceAccount no rule may name. An app using either would make those probes meaningless.
 */
export const PROBE_NAMES = { outsideNamespace: 'meshproof-outside', stranger: 'meshproof-stranger' } as const;

/** The mesh a per-mesh option block belongs to. */
const OPTION_OWNER = { istio: 'istio-ambient', linkerd: 'linkerd', cilium: 'cilium' } as const;

// Meshes that can inject faults at the proxy; the others would silently ignore the spec.
const MESH_FAULTS = new Set(['istio-ambient', 'istio-sidecar']);

/**
 * Meshes whose clusters get a Gateway API ingress gateway from this repo (Istio's and Cilium's
 * controllers). On the others `expose` would render half an ingress, so the spec refuses it.
 */
export const INGRESS_MESHES: ReadonlySet<Mesh> = new Set<Mesh>(['istio-ambient', 'istio-sidecar', 'cilium']);

type Check = (platform: Platform) => SpecError[];

function duplicates<T>(
  items: readonly T[],
  key: (item: T) => string,
  path: (index: number) => string,
  what: string,
) {
  const seen = new Map<string, number>();
  const errors: SpecError[] = [];
  items.forEach((item, index) => {
    const k = key(item);
    const first = seen.get(k);
    if (first === undefined) seen.set(k, index);
    else errors.push({ path: path(index), message: `${what} "${k}" is already used by ${path(first)}` });
  });
  return errors;
}

/** Flux clones an ssh:// URL only with a key: refuse a source it could never read. */
const gitChecks: Check = ({ git, clusters }) =>
  [
    { source: git, path: 'git' },
    ...clusters.map((c, i) => ({ source: c.git, path: `clusters[${i}].git` })),
  ].flatMap(({ source, path }) =>
    source && !source.url.startsWith('https://') && source.secretName === undefined
      ? [
          {
            path: `${path}.secretName`,
            message: `Flux reads ${source.url} over SSH, which needs a key: name the Secret (identity, known_hosts) in secretName`,
          },
        ]
      : [],
  );

const clusterChecks: Check = ({ clusters }) => [
  ...duplicates(
    clusters,
    (c) => c.name,
    (i) => `clusters[${i}].name`,
    'cluster name',
  ),
  ...clusters.flatMap((cluster, i) =>
    Object.entries(OPTION_OWNER)
      .filter(
        ([option, mesh]) =>
          cluster[option as keyof typeof OPTION_OWNER] !== undefined && cluster.mesh !== mesh,
      )
      .map(([option, mesh]) => ({
        path: `clusters[${i}].${option}`,
        message: `only allowed when mesh is "${mesh}"; this cluster's mesh is "${cluster.mesh}"`,
      })),
  ),
];

const appIdentityChecks: Check = ({ apps }) => [
  ...duplicates(
    apps,
    (a) => a.name,
    (i) => `apps[${i}].name`,
    'app name',
  ),
  ...duplicates(
    apps,
    (a) => `${a.namespace}/${a.serviceAccount ?? a.name}`,
    (i) => `apps[${i}].serviceAccount`,
    'service account',
  ),
  ...apps.flatMap((app, i) =>
    [app.name, app.serviceAccount].includes(LOADTESTER)
      ? [
          {
            path: `apps[${i}]`,
            message: `"${LOADTESTER}" is the name and ServiceAccount of the canary load generator; pick another`,
          },
        ]
      : [],
  ),
  ...apps.flatMap((app, i) =>
    [app.name, app.serviceAccount].includes(PROBE_NAMES.stranger)
      ? [
          {
            path: `apps[${i}]`,
            message: `"${PROBE_NAMES.stranger}" is the name and ServiceAccount of the e2e probes' wrong-identity workload; pick another`,
          },
        ]
      : [],
  ),
  ...apps.flatMap((app, i) =>
    app.namespace === PROBE_NAMES.outsideNamespace
      ? [
          {
            path: `apps[${i}].namespace`,
            message: `"${PROBE_NAMES.outsideNamespace}" is where the e2e probes' plaintext client runs, outside every policy; use another namespace`,
          },
        ]
      : [],
  ),
  ...apps.flatMap((app, i) =>
    RESERVED_NAMESPACE.test(app.namespace)
      ? [
          {
            path: `apps[${i}].namespace`,
            message: `"${app.namespace}" belongs to the platform; use a namespace of your own`,
          },
        ]
      : [],
  ),
];

function versionChecks(app: App, at: string): SpecError[] {
  const errors = duplicates(
    app.versions,
    (v) => v.name,
    (j) => `${at}.versions[${j}].name`,
    'version name',
  );
  const total = app.versions.reduce((sum, v) => sum + v.weight, 0);
  if (total !== 100)
    errors.push({ path: `${at}.versions`, message: `weights add up to ${total}; expected 100` });
  const names = app.versions.map((v) => v.name);
  app.routes.forEach((route, j) => {
    if (!names.includes(route.version)) {
      errors.push({
        path: `${at}.routes[${j}].version`,
        message: `no version "${route.version}" in ${at}.versions${didYouMean(route.version, names)}; expected one of ${names.join('|')}`,
      });
    }
  });
  if (app.replicas.min > app.replicas.max) {
    errors.push({
      path: `${at}.replicas`,
      message: `min (${app.replicas.min}) is greater than max (${app.replicas.max})`,
    });
  }
  return errors;
}

function callChecks(app: App, at: string, apps: readonly App[]): SpecError[] {
  const names = apps.map((a) => a.name);
  const errors = duplicates(
    app.calls,
    (c) => c.app,
    (j) => `${at}.calls[${j}].app`,
    'callee',
  );
  app.calls.forEach((call, j) => {
    const path = `${at}.calls[${j}].app`;
    const callee = apps.find((a) => a.name === call.app);
    if (!callee) {
      errors.push({
        path,
        message: `no app named "${call.app}"${didYouMean(call.app, names)}; expected one of ${names.join('|')}`,
      });
    } else if (callee === app) {
      errors.push({ path, message: 'an app does not need a rule to call itself' });
    } else if (callee.port === undefined) {
      errors.push({ path, message: `"${call.app}" has no port, so there is nothing to call` });
    }
  });
  return errors;
}

function canaryChecks(platform: Platform, app: App, at: string): SpecError[] {
  const canary = app.canary;
  if (!canary?.enabled) return [];
  const errors: SpecError[] = [];
  if (app.port === undefined)
    errors.push({ path: `${at}.canary`, message: 'a canary needs a Service port: set port' });
  if (!platform.observability.prometheus) {
    errors.push({
      path: `${at}.canary`,
      message: 'needs observability.prometheus = true (Flagger reads request metrics from Prometheus)',
    });
  }
  if (canary.stepWeight > canary.maxWeight) {
    errors.push({
      path: `${at}.canary.stepWeight`,
      message: `${canary.stepWeight} is greater than maxWeight ${canary.maxWeight}`,
    });
  }
  // Flagger owns the routing of a canary target: fixed splits or header routes would fight it.
  if (!app.versions.some((v) => v.weight === 100)) {
    errors.push({
      path: `${at}.versions`,
      message:
        'with a canary, one version (the stable one) takes weight 100; Flagger shifts traffic to the next',
    });
  }
  if (app.routes.length > 0)
    errors.push({
      path: `${at}.routes`,
      message:
        'routes cannot be combined with a canary: Flagger owns the routing; put header routes on an app without a canary (like catalog in the default spec)',
    });
  return errors;
}

function meshCapabilityChecks(clusters: readonly Cluster[], app: App, at: string): SpecError[] {
  const errors: SpecError[] = [];
  clusters.forEach((cluster, c) => {
    const where = `clusters[${c}] ("${cluster.name}", ${cluster.mesh})`;
    if (app.faults && !MESH_FAULTS.has(cluster.mesh)) {
      errors.push({
        path: `${at}.faults`,
        message: `${where} cannot inject faults in the mesh; use versions[].faults (in the app) instead`,
      });
    }
    if (app.expose && !INGRESS_MESHES.has(cluster.mesh)) {
      errors.push({
        path: `${at}.expose`,
        message: `${where} has no ingress gateway; expose needs one of ${[...INGRESS_MESHES].join('|')}, or drop expose`,
      });
    }
    if (cluster.mesh === 'istio-ambient' && cluster.istio?.waypoint === false) {
      const l7 = app.calls.findIndex((call) => call.methods || call.paths);
      if (l7 >= 0) {
        errors.push({
          path: `${at}.calls[${l7}]`,
          message: `methods/paths need an L7 proxy, but ${where} has istio.waypoint = false`,
        });
      }
    }
  });
  return errors;
}

/** Every Service the app leads to must be a valid name; the message names the derived Service. */
function derivedNameChecks(app: App, at: string): SpecError[] {
  return derivedServiceNames(app).flatMap(({ name, what, field }) => {
    const problem = serviceNameProblem(name);
    return problem ? [{ path: `${at}.${field}`, message: `${what}, "${name}", ${problem}` }] : [];
  });
}

const perAppChecks: Check = (platform) =>
  platform.apps.flatMap((app, i) => {
    const at = `apps[${i}]`;
    const errors = [
      ...versionChecks(app, at),
      ...callChecks(app, at, platform.apps),
      ...canaryChecks(platform, app, at),
      ...meshCapabilityChecks(platform.clusters, app, at),
      ...derivedNameChecks(app, at),
    ];
    if (app.expose && app.port === undefined)
      errors.push({ path: `${at}.expose`, message: 'exposing an app needs a port' });
    return errors;
  });

const securityChecks: Check = ({ security }) => {
  if (security.mtls === 'PERMISSIVE' && security.mtlsReason === undefined)
    return [
      {
        path: 'security.mtlsReason',
        message:
          'PERMISSIVE accepts plaintext: say why in security.mtlsReason (the render records it, and `check` reports the finding as accepted with it)',
      },
    ];
  if (security.mtls === 'STRICT' && security.mtlsReason !== undefined)
    return [{ path: 'security.mtlsReason', message: 'only used with security.mtls = "PERMISSIVE"' }];
  return [];
};

const observabilityChecks: Check = ({ observability }) =>
  observability.grafana && !observability.prometheus
    ? [{ path: 'observability.grafana', message: 'Grafana dashboards need observability.prometheus = true' }]
    : [];

/** Rules that span several fields; run after the shape is known to be right. */
export const crossChecks = (platform: Platform): SpecError[] =>
  [gitChecks, clusterChecks, appIdentityChecks, perAppChecks, securityChecks, observabilityChecks].flatMap(
    (check) => check(platform),
  );
