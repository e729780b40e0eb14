// Helpers for the renderer's tests: specs, parsing rendered files, and model validation.
import type { Mesh, Platform, PlatformInput } from '@meshproof/spec';
import { MESHES, validatePlatform } from '@meshproof/spec';
import { parseAllDocuments } from 'yaml';
import { meshPlugin } from './meshes.ts';
import type { FileTree, K8sObject } from './model.ts';
import { renderCluster } from './render-cluster.ts';

/** Meshes with a plug-in; the others make the renderer refuse the cluster. */
export const registeredMeshes = (): Mesh[] =>
  MESHES.filter((mesh) => {
    try {
      meshPlugin(mesh);
      return true;
    } catch {
      return false;
    }
  });

/** A small spec covering calls, L7 rules, a canary and a multi-version app, on the given meshes. */
export function testSpec(meshes: readonly Mesh[], edit?: (spec: PlatformInput) => void): Platform {
  const spec: PlatformInput = {
    clusters: meshes.map((mesh) => ({ name: `test-${mesh}`, mesh })),
    apps: [
      {
        name: 'web',
        namespace: 'store',
        image: 'example/web:1.0.0',
        port: 8080,
        versions: [{ name: 'v1', weight: 100 }],
        calls: [{ app: 'api', methods: ['GET'], paths: ['/items'] }, { app: 'search' }],
      },
      {
        name: 'api',
        namespace: 'store',
        image: 'example/api:1.0.0',
        port: 9000,
        versions: [
          { name: 'v1', weight: 100 },
          { name: 'v2', weight: 0, faults: { errorRate: 0.5 } },
        ],
        canary: {},
      },
      {
        name: 'search',
        namespace: 'search',
        image: 'example/search:2.0.0',
        port: 8081,
        versions: [
          { name: 'v1', weight: 90 },
          { name: 'v2', weight: 10 },
        ],
        routes: [{ match: { headers: { 'x-beta': 'true' } }, version: 'v2' }],
        resilience: { timeoutMs: 1500, retries: { attempts: 2 } },
      },
    ],
  };
  edit?.(spec);
  const result = validatePlatform(spec);
  if (!result.ok) throw new Error(`test spec invalid: ${JSON.stringify(result.errors)}`);
  return result.platform;
}

/** An app that serves no port, in namespace `jobs`, calling `calls` (e.g. a queue worker). */
export const portlessApp = (name: string, calls: string[] = []): PlatformInput['apps'][number] => ({
  name,
  namespace: 'jobs',
  image: `example/${name}:1.0.0`,
  versions: [{ name: 'v1', weight: 100 }],
  calls: calls.map((app) => ({ app })),
});

/**
 * Exposes the test spec's apps through the ingress gateway: web and the canary api share one host
 * name (api under /api), search has its own. Only for meshes with an ingress gateway.
 */
export function exposeApps(spec: PlatformInput): void {
  const hosts: Record<string, { hostname: string; pathPrefix?: string }> = {
    web: { hostname: 'store.example.test' },
    api: { hostname: 'store.example.test', pathPrefix: '/api' },
    search: { hostname: 'search.example.test' },
  };
  for (const app of spec.apps) app.expose = hosts[app.name];
}

/** Parses every YAML document of every file (except kind.yaml) into objects, with their file. */
export function objectsOf(tree: FileTree): { path: string; object: K8sObject }[] {
  return (
    [...tree]
      // kind.yaml and plain files (e.g. Helm values) hold no Kubernetes objects.
      .filter(([path, text]) => path !== 'kind.yaml' && /^apiVersion:/m.test(text))
      .flatMap(([path, text]) =>
        parseAllDocuments(text).map((doc) => {
          if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0]?.message}`);
          return { path, object: doc.toJS() as K8sObject };
        }),
      )
  );
}

export const ofKind = (tree: FileTree, kind: string) =>
  objectsOf(tree).filter(
    ({ object }) => object.kind === kind && object.apiVersion !== 'kustomize.config.k8s.io/v1beta1',
  );

/** Renders the test spec for one mesh; `find` asserts that an object exists and returns it. */
export function renderTestCluster<T extends K8sObject>(mesh: Mesh, edit?: (spec: PlatformInput) => void) {
  const platform = testSpec([mesh], edit);
  const cluster = platform.clusters[0];
  if (!cluster) throw new Error('test spec has no cluster');
  const tree = renderCluster(platform, cluster);
  const entries = objectsOf(tree);
  const all = entries.map((e) => e.object as T);
  const find = (kind: string, name: string, namespace?: string): T => {
    const found = all.find(
      (o) =>
        o.kind === kind &&
        o.metadata?.name === name &&
        (namespace === undefined || o.metadata?.namespace === namespace),
    );
    if (!found) throw new Error(`${kind} ${namespace ?? ''}/${name} is not rendered`);
    return found;
  };
  const pathOf = (o: K8sObject) => entries.find((e) => e.object === o)?.path ?? '';
  return { platform, cluster, tree, all, find, pathOf };
}
