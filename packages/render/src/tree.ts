import { posix } from 'node:path';
import type { FileTree, K8sObject } from './model.ts';
import { GENERATED_HEADER, serializeObjects, toYaml } from './serialize.ts';

/** Objects that end up in one YAML file, at a path relative to clusters/<cluster>/. */
export interface Bundle {
  path: string;
  objects: readonly K8sObject[];
  /** Why this file exists, shown as a comment under the header. */
  comment?: string;
}

// The cluster root holds kind.yaml (not a Kubernetes object) and infrastructure/ would mix CRDs with
// their resources, so neither gets a kustomization.yaml.
const NO_KUSTOMIZATION = new Set(['.', 'infrastructure']);

/** A plain file placed in a folder; with `configMap`, kustomize generates that ConfigMap from it. */
export interface PlainFile {
  path: string;
  content: string;
  configMap?: { name: string; namespace: string; key: string };
}

// Fixed ConfigMap names: the objects that read them (e.g. HelmRelease valuesFrom) are not rewritten
// by kustomize's name-hash references.
function kustomization(resources: string[], generated: PlainFile[] = []): string {
  const configMapGenerator = generated.flatMap((f) =>
    f.configMap
      ? [
          {
            name: f.configMap.name,
            namespace: f.configMap.namespace,
            files: [`${f.configMap.key}=${posix.basename(f.path)}`],
            options: { disableNameSuffixHash: true },
          },
        ]
      : [],
  );
  const doc = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources,
    configMapGenerator: configMapGenerator.length > 0 ? configMapGenerator : undefined,
  };
  return `${GENERATED_HEADER}${toYaml(doc)}`;
}

/** Serializes bundles and adds a kustomization.yaml to every folder that holds manifests. */
export function buildTree(
  bundles: readonly Bundle[],
  requiredDirs: readonly string[] = [],
  plainFiles: readonly PlainFile[] = [],
): FileTree {
  const files: FileTree = new Map();
  for (const bundle of bundles) {
    if (bundle.objects.length === 0) continue;
    if (files.has(bundle.path)) throw new Error(`two bundles write ${bundle.path}`);
    files.set(bundle.path, serializeObjects(bundle.objects, bundle.comment));
  }
  const children = new Map<string, Set<string>>();
  for (const path of files.keys()) {
    let child = path;
    let dir = posix.dirname(path);
    while (!NO_KUSTOMIZATION.has(dir)) {
      const set = children.get(dir) ?? new Set<string>();
      set.add(posix.basename(child));
      children.set(dir, set);
      child = dir;
      dir = posix.dirname(dir);
    }
  }
  // Flux fails on a missing path, so a layer with nothing in it still gets an (empty) folder.
  for (const dir of requiredDirs) if (!children.has(dir)) children.set(dir, new Set());
  for (const f of plainFiles) {
    if (files.has(f.path)) throw new Error(`two files write ${f.path}`);
    const dir = posix.dirname(f.path);
    if (!children.has(dir)) children.set(dir, new Set());
  }
  for (const [dir, entries] of children) {
    const generated = plainFiles.filter((f) => posix.dirname(f.path) === dir);
    files.set(posix.join(dir, 'kustomization.yaml'), kustomization([...entries].sort(), generated));
  }
  for (const f of plainFiles) files.set(f.path, f.content);
  return files;
}

/** A tree with paths in sorted order, so iteration (and writing) is stable too. */
export const sortTree = (tree: FileTree): FileTree =>
  new Map([...tree].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
