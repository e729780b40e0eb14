// Flux's own references: sources, paths and dependsOn must resolve, and dependsOn must be acyclic.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { get, group, isObj, list, named, ofKind } from '../k8s.ts';
import { CLUSTER_PATH } from '../load.ts';
import type { Check, ClusterSet, Issue, K8sObject, Path } from '../model.ts';
import { fluxPathDir, fromThisRepo } from '../owned.ts';

const isFlux = (o: K8sObject): boolean => group(o.apiVersion).endsWith('toolkit.fluxcd.io');

interface SourceRef {
  obj: K8sObject;
  path: Path;
  kind: string;
  name: string;
  namespace: string;
}

function sourceRefs(c: ClusterSet): SourceRef[] {
  const out: SourceRef[] = [];
  const add = (obj: K8sObject, path: Path) => {
    const r = get(obj.body, path);
    if (!isObj(r) || typeof r.kind !== 'string' || typeof r.name !== 'string') return;
    out.push({
      obj,
      path,
      kind: r.kind,
      name: r.name,
      namespace: typeof r.namespace === 'string' ? r.namespace : obj.namespace,
    });
  };
  for (const k of ofKind(c, 'Kustomization', 'fluxcd.io')) add(k, ['spec', 'sourceRef']);
  for (const hr of ofKind(c, 'HelmRelease', 'fluxcd.io')) {
    add(hr, ['spec', 'chart', 'spec', 'sourceRef']);
    add(hr, ['spec', 'chartRef']);
  }
  return out;
}

function missingSources(c: ClusterSet): Issue[] {
  return sourceRefs(c)
    .filter((r) => !named(c, r.kind, r.namespace, r.name).some(isFlux))
    .map((r) => ({
      obj: r.obj,
      path: [...r.path, 'name'],
      message: `sourceRef ${r.kind} ${r.namespace}/${r.name} is not defined in this cluster`,
      absent: true,
    }));
}

/** Kustomizations of this repository with their spec.path and the directory it names (if known). */
function fluxPaths(c: ClusterSet): { k: K8sObject; p: string; dir: string | undefined }[] {
  return ofKind(c, 'Kustomization', 'fluxcd.io').flatMap((k) => {
    const p = get(k.body, ['spec', 'path']);
    if (typeof p !== 'string' || !fromThisRepo(c, k)) return [];
    return [{ k, p, dir: fluxPathDir(c, p) }];
  });
}

const isDir = (dir: string): boolean => existsSync(dir) && statSync(dir).isDirectory();

// Loose files (in no clusters/<name>/ folder) are placed only by guess, in the git repository holding
// them (or, in none, the checked folder): a path missing there is reported as unchecked, unless the
// user says the files are the whole tree of a repository.
const guessed = (c: ClusterSet): boolean =>
  c.repository === null || (c.repository !== undefined && c.scope !== 'complete');

function missingPaths(c: ClusterSet): Issue[] {
  const from =
    c.repository !== undefined
      ? 'resolved from the root of the git repository holding the file'
      : c.clustersDir === undefined || c.clustersDir === join(c.sourceRoot, 'clusters')
        ? 'resolved from the directory holding clusters/'
        : `resolved in the rendered tree: ./clusters/ read as the folder holding ${c.name}/`;
  if (guessed(c)) return [];
  return fluxPaths(c)
    .filter(({ dir }) => dir !== undefined && !isDir(dir))
    .map(({ k, p }) => ({
      obj: k,
      path: ['spec', 'path'],
      message: `path ${p} does not exist in the repository (${from})`,
    }));
}

function uncheckedWhy(c: ClusterSet, p: string, dir: string | undefined): string | undefined {
  const cluster = CLUSTER_PATH.exec(p)?.[1];
  if (dir === undefined && cluster !== undefined)
    return `the input is not inside a clusters/ folder and has no folder ${cluster}/, so where it lies in the repository is unknown`;
  if (dir === undefined || !guessed(c) || isDir(dir)) return undefined;
  if (c.repository === null)
    return 'the file is in no git repository nor clusters/ folder, so nothing says what the path is relative to (it is not found from the checked folder)';
  return 'it is not found from the root of the git repository holding the file, but a file outside a clusters/<name>/ folder may belong to a repository laid out differently (check the whole clusters/ tree, or pass --complete if these files are it)';
}

function uncheckedPaths(c: ClusterSet): Issue[] {
  return fluxPaths(c).flatMap(({ k, p, dir }) => {
    const why = uncheckedWhy(c, p, dir);
    return why ? [{ obj: k, path: ['spec', 'path'], message: `path ${p} not checked (REF007): ${why}` }] : [];
  });
}

const dependents = (c: ClusterSet): K8sObject[] => [
  ...ofKind(c, 'Kustomization', 'fluxcd.io'),
  ...ofKind(c, 'HelmRelease', 'fluxcd.io'),
];

const key = (kind: string, ns: string, name: string): string => `${kind}/${ns}/${name}`;

function dependsOn(o: K8sObject): { target: string; name: string; ns: string; index: number }[] {
  return list(get(o.body, ['spec', 'dependsOn'])).flatMap((d, index) => {
    if (!isObj(d) || typeof d.name !== 'string') return [];
    const ns = typeof d.namespace === 'string' ? d.namespace : o.namespace;
    return [{ target: key(o.kind, ns, d.name), name: d.name, ns, index }];
  });
}

function missingDependencies(c: ClusterSet): Issue[] {
  const known = new Set(dependents(c).map((o) => key(o.kind, o.namespace, o.name)));
  return dependents(c).flatMap((o) =>
    dependsOn(o)
      .filter((d) => !known.has(d.target))
      .map((d) => ({
        obj: o,
        path: ['spec', 'dependsOn', d.index, 'name'],
        message: `dependsOn ${o.kind} ${d.ns}/${d.name}, which is not defined in this cluster`,
        absent: true,
      })),
  );
}

function cycles(c: ClusterSet): Issue[] {
  const nodes = new Map(dependents(c).map((o) => [key(o.kind, o.namespace, o.name), o]));
  const state = new Map<string, 'active' | 'done'>();
  const out: Issue[] = [];
  const visit = (id: string, stack: string[]): void => {
    state.set(id, 'active');
    const obj = nodes.get(id) as K8sObject;
    for (const d of dependsOn(obj)) {
      if (!nodes.has(d.target)) continue;
      if (state.get(d.target) === 'active') {
        // The cycle runs from the target's place on the path to here; a self-dependency is not on
        // the path (slice(-1) would name the node before it as part of the loop).
        const from = stack.indexOf(d.target);
        const loop = [...(from < 0 ? [] : stack.slice(from)), id, d.target].map((s) =>
          s.split('/').slice(1).join('/'),
        );
        out.push({
          obj,
          path: ['spec', 'dependsOn', d.index],
          message: `dependsOn cycle: ${loop.join(' -> ')}`,
        });
      } else if (!state.has(d.target)) visit(d.target, [...stack, id]);
    }
    state.set(id, 'done');
  };
  for (const id of nodes.keys()) if (!state.has(id)) visit(id, []);
  return out;
}

export const fluxReferenceChecks: Check[] = [
  {
    id: 'REF006',
    severity: 'error',
    title: 'Flux sourceRef missing',
    description:
      "A Kustomization's sourceRef or a HelmRelease's chart sourceRef/chartRef names a source this cluster does not define.",
    hint: 'Define the GitRepository/OCIRepository/HelmRepository, or fix kind/name/namespace of the reference.',
    run: ({ cluster }) => missingSources(cluster),
  },
  {
    id: 'REF007',
    severity: 'error',
    title: 'Flux Kustomization path missing',
    description:
      'A Kustomization reading from this repository (the flux-system source, or any source some Kustomization reads ./clusters/... from) has a spec.path relative to the directory containing clusters/; the directory must exist or reconciliation fails. In a tree rendered outside clusters/ (`meshproof render --out DIR`), ./clusters/<name>/ is read as DIR/<name>/.',
    hint: 'Use a path like ./clusters/<name>/apps that exists in the repository.',
    run: ({ cluster }) => missingPaths(cluster),
  },
  {
    id: 'REF008',
    severity: 'error',
    title: 'Flux dependsOn target missing',
    description:
      'A Kustomization/HelmRelease depends on one of the same kind that does not exist, so it never becomes ready.',
    hint: 'Fix the dependsOn name/namespace or add the missing object.',
    run: ({ cluster }) => missingDependencies(cluster),
  },
  {
    id: 'REF009',
    severity: 'error',
    title: 'Flux dependsOn cycle',
    description:
      'Kustomizations or HelmReleases that depend on each other in a loop wait for each other forever.',
    hint: 'Break the cycle: dependencies must form a tree (CRDs -> infrastructure -> apps).',
    run: ({ cluster }) => cycles(cluster),
  },
  {
    id: 'REF010',
    severity: 'info',
    title: 'Flux Kustomization path not checked',
    description:
      "REF007 cannot check a ./clusters/<name>/... path when the input is neither inside a clusters/ folder nor holds a <name>/ folder (as `meshproof render --out DIR` writes): where the path lies in the repository is unknown. Files in no clusters/ folder resolve other paths from the root of their own git repository (never the working directory's); a path not found there, or in a file in no repository, is reported here rather than as a REF007 error.",
    hint: 'Check the folder holding the <name>/ cluster folders (or the repository root) to have these paths checked.',
    run: ({ cluster }) => uncheckedPaths(cluster),
  },
];
