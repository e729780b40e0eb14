// The objects a Flux Kustomization applies: the resources of the kustomization.yaml at its path, or,
// without one, every manifest below the path (what kustomize-controller generates).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { get } from './k8s.ts';
import { CLUSTER_PATH, collectFiles, parseFile } from './load.ts';
import type { ClusterSet, K8sObject } from './model.ts';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

function kustomizeFiles(dir: string, seen: Set<string>): string[] {
  if (seen.has(dir)) return [];
  seen.add(dir);
  const config = KUSTOMIZATION_FILES.map((f) => join(dir, f)).find((f) => existsSync(f));
  if (!config) return collectFiles([dir], dir);
  let resources: unknown;
  try {
    resources = get(parse(readFileSync(config, 'utf8')), ['resources']);
  } catch {
    return [];
  }
  return (Array.isArray(resources) ? resources : []).flatMap((r) => {
    if (typeof r !== 'string' || r.includes('://')) return [];
    const abs = resolve(dir, r);
    if (!existsSync(abs)) return [];
    return statSync(abs).isDirectory() ? kustomizeFiles(abs, seen) : [abs];
  });
}

const cache = new WeakMap<ClusterSet, Map<string, K8sObject[]>>();

function sourceKey(ks: K8sObject): string {
  const ref = get(ks.body, ['spec', 'sourceRef']);
  return `${String(get(ref, ['kind']))}/${String(get(ref, ['namespace']) ?? ks.namespace)}/${String(get(ref, ['name']))}`;
}

/**
 * Whether `ks` reads from this repository rather than another one (a Gateway API release, say):
 * its source is the bootstrap `flux-system` source, or one that some Kustomization reads
 * `./clusters/...` from. Only then does its path name a directory here.
 */
export function fromThisRepo(c: ClusterSet, ks: K8sObject): boolean {
  const own = new Set(['GitRepository/flux-system/flux-system', 'OCIRepository/flux-system/flux-system']);
  for (const k of c.objects) {
    const path = get(k.body, ['spec', 'path']);
    if (k.kind === 'Kustomization' && typeof path === 'string' && CLUSTER_PATH.test(path))
      own.add(sourceKey(k));
  }
  return own.has(sourceKey(ks));
}

/**
 * The directory a Flux path of this repository names. `./clusters/...` resolves against the set's
 * `clustersDir` (its `clusters/` folder, or the folder a tree rendered with `--out` sits in); without
 * one, against `sourceRoot` when it exists there, else it is unknown (undefined): the input does not
 * show where `clusters/` lies in the repository. Any other path resolves against `sourceRoot`.
 */
export function fluxPathDir(c: ClusterSet, path: string): string | undefined {
  if (!CLUSTER_PATH.test(path)) return resolve(c.sourceRoot, path);
  const rest = path.replace(/^(?:\.\/)?clusters\//, '');
  if (c.clustersDir !== undefined) return resolve(c.clustersDir, rest);
  const guess = resolve(c.sourceRoot, path);
  return existsSync(guess) ? guess : undefined;
}

/** Objects applied by `ks` (a Flux Kustomization), loaded from disk when outside the input. */
export function ownedObjects(c: ClusterSet, ks: K8sObject): K8sObject[] {
  const path = get(ks.body, ['spec', 'path']);
  if (typeof path !== 'string' || !fromThisRepo(c, ks)) return [];
  const dir = fluxPathDir(c, path);
  if (dir === undefined || !existsSync(dir) || !statSync(dir).isDirectory()) return [];
  let perCluster = cache.get(c);
  if (!perCluster) {
    perCluster = new Map();
    cache.set(c, perCluster);
  }
  const hit = perCluster.get(dir);
  if (hit) return hit;
  const files = new Set(kustomizeFiles(dir, new Set()));
  const loaded = c.objects.filter((o) => files.has(o.file.abs));
  const loadedFiles = new Set(loaded.map((o) => o.file.abs));
  const extra = [...files]
    .filter((f) => !loadedFiles.has(f))
    .flatMap((f) => parseFile(f, c.sourceRoot).objects);
  const all = [...loaded, ...extra];
  perCluster.set(dir, all);
  return all;
}
