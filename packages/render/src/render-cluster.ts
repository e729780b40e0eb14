import type { Cluster, Platform } from '@meshproof/spec';
import { canary } from './flagger/canary.ts';
import { loadtesterObjects } from './flagger/loadtester.ts';
import { canaryMetricTemplates } from './flagger/metric-templates.ts';
import { flaggerObjects } from './flagger/release.ts';
import { afterReleases } from './flux/after-releases.ts';
import { layerKustomizations } from './flux/kustomizations.ts';
import { syncComment, syncObjects } from './flux/sync.ts';
import { gatewayApiCrds } from './gateway/crds.ts';
import { appIngress, ingressGateway } from './gateway/ingress.ts';
import { kindConfig } from './kind/cluster-config.ts';
import { METRICS_SERVER_COMMENT, metricsServerObjects } from './kind/metrics-server.ts';
import { FLUX_DIR, KIND_FILE, LAYER_DIR, LAYERS, OPTIONAL_LAYERS, SYNC_DIR } from './layout.ts';
import type { MeshContext, MeshPlugin, PlatformComponent } from './mesh.ts';
import { meshPlugin } from './meshes.ts';
import { emptyMetadata, type FileTree, type K8sObject, type Metadata } from './model.ts';
import { observabilityObjects } from './observability/releases.ts';
import { acceptFindings, permissiveReason } from './suppress.ts';
import { type Bundle, buildTree, sortTree } from './tree.ts';
import { workloadObjects } from './workload/app.ts';
import { appNamespaces, appsIn, hasCanary, LOADTESTER, loadTargets } from './workload/names.ts';
import { namespace } from './workload/namespace.ts';

const at = (dir: string, file: string) => `${dir}/${file}`;

/** Suppressions for the findings a deliberate PERMISSIVE trips on app namespaces, with the spec's reason. */
function permissiveAccepts(ctx: MeshContext, mesh: MeshPlugin): Record<string, string> {
  if (ctx.platform.security.mtls !== 'PERMISSIVE') return {};
  const { applied, accepts = [] } = mesh.permissiveMtls(ctx);
  return applied ? acceptFindings(accepts, permissiveReason(ctx.platform)) : {};
}

const withAccepted = (metadata: Metadata, annotations: Record<string, string>): Metadata => ({
  labels: metadata.labels,
  annotations: { ...metadata.annotations, ...annotations },
});

function infrastructure(ctx: MeshContext, mesh: MeshPlugin): Bundle[] {
  const { platform } = ctx;
  const canaries = platform.apps.some(hasCanary);
  const meshControllers = mesh.controllers(ctx);
  const pods = (component: PlatformComponent) =>
    mesh.platformPodMetadata?.(ctx, component) ?? emptyMetadata();
  return [
    { path: at(LAYER_DIR.crds, 'gateway-api.yaml'), objects: gatewayApiCrds(mesh.gatewayApiPatches?.(ctx)) },
    { path: at(LAYER_DIR.crds, `${mesh.id}.yaml`), objects: mesh.crds(ctx) },
    { path: at(LAYER_DIR.controllers, `${mesh.id}.yaml`), objects: meshControllers },
    // Every app's HPA reads the resource metrics API; kind ships no metrics-server.
    {
      path: at(LAYER_DIR.controllers, 'metrics-server.yaml'),
      objects: metricsServerObjects(),
      comment: METRICS_SERVER_COMMENT,
    },
    {
      path: at(LAYER_DIR.controllers, 'observability.yaml'),
      objects: afterReleases(
        observabilityObjects(platform, { prometheus: pods('prometheus'), grafana: pods('grafana') }),
        meshControllers,
      ),
    },
    {
      path: at(LAYER_DIR.controllers, 'flagger.yaml'),
      objects: canaries ? afterReleases(flaggerObjects(mesh, pods('flagger')), meshControllers) : [],
    },
    {
      path: at(LAYER_DIR.configs, 'namespaces.yaml'),
      // App namespaces live here so mesh configs (waypoints, deny-all) can land in them before the apps.
      objects: appNamespaces(platform).map((ns) =>
        namespace(
          ns,
          'restricted',
          withAccepted(mesh.namespaceMetadata(ctx, ns), permissiveAccepts(ctx, mesh)),
        ),
      ),
    },
    { path: at(LAYER_DIR.configs, `${mesh.id}.yaml`), objects: mesh.configs(ctx) },
    // Needs Flagger's CRDs (controllers layer); the Canaries in apps reference these templates.
    {
      path: at(LAYER_DIR.configs, 'flagger.yaml'),
      objects: canaries ? canaryMetricTemplates(mesh.flagger) : [],
    },
    // Needs the Gateway API CRDs and the mesh's gateway controller; per-app routes go with the apps.
    {
      path: at(LAYER_DIR.configs, 'ingress.yaml'),
      objects: mesh.ingress ? ingressGateway(platform, mesh.ingress.gatewayClassName) : [],
    },
  ];
}

function apps(ctx: MeshContext, mesh: MeshPlugin): Bundle[] {
  return appNamespaces(ctx.platform).flatMap((ns) => [
    ...appsIn(ctx.platform, ns).map((app) => {
      const objects: K8sObject[] = [
        ...workloadObjects(ctx.platform, app, mesh.podMetadata(ctx, app), mesh.versionRouting?.(ctx) ?? true),
        ...mesh.appObjects(ctx, app),
        ...appIngress(ctx, mesh, app),
        ...(hasCanary(app) ? [canary(ctx, mesh, app)] : []),
      ];
      return { path: at(at(LAYER_DIR.apps, ns), `${app.name}.yaml`), objects };
    }),
    // Every canary's analysis needs traffic: one loadtester per namespace that holds canary apps.
    ...(loadTargets(ctx.platform, ns).length > 0
      ? [
          {
            path: at(at(LAYER_DIR.apps, ns), `${LOADTESTER}.yaml`),
            objects: loadtesterObjects(ctx, mesh, ns),
          },
        ]
      : []),
  ]);
}

/** Every file of clusters/<cluster>/, in memory. Throws when the cluster's mesh has no plug-in. */
export function renderCluster(platform: Platform, cluster: Cluster): FileTree {
  const mesh = meshPlugin(cluster.mesh);
  const ctx: MeshContext = { platform, cluster };
  const identity = mesh.identity?.(ctx) ?? { objects: [], healthChecks: [] };
  const layers = LAYERS.filter(
    (l) => !OPTIONAL_LAYERS.has(l) || (l === 'identity' && identity.objects.length > 0),
  );
  const bundles: Bundle[] = [
    { path: at(LAYER_DIR.identity, `${mesh.id}.yaml`), objects: identity.objects },
    ...infrastructure(ctx, mesh),
    ...apps(ctx, mesh),
    ...layerKustomizations(cluster.name, platform.apps.some(hasCanary), layers, {
      identity: identity.healthChecks,
    }).map((k) => ({
      path: at(FLUX_DIR, `${k.metadata?.name}.yaml`),
      objects: [k],
    })),
    {
      path: at(SYNC_DIR, 'sync.yaml'),
      objects: syncObjects(platform, cluster),
      comment: syncComment(platform, cluster),
    },
  ];
  const files = (mesh.files?.(ctx) ?? []).map((f) => ({ ...f, path: at(LAYER_DIR[f.layer], f.name) }));
  const tree = buildTree(
    bundles,
    layers.map((l) => LAYER_DIR[l]),
    files,
  );
  tree.set(KIND_FILE, kindConfig(cluster, mesh.kindNetworking?.(ctx)));
  return sortTree(tree);
}
