// kustomize configMapGenerator/secretGenerator: the files they read are data (Helm values, say),
// not manifests, and the ConfigMaps/Secrets they generate are objects the checks must see (a
// HelmRelease's valuesFrom reads them).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { get, isObj, list } from './k8s.ts';
import type { DocRef, K8sObject, SourceFile } from './model.ts';

export interface Generated {
  /** Files read by generators: skip them as manifests. */
  dataFiles: Set<string>;
  objects: K8sObject[];
}

const GENERATORS: [string, string][] = [
  ['configMapGenerator', 'ConfigMap'],
  ['secretGenerator', 'Secret'],
];

/** Key and path of a generator `files:` entry (`key=path` or just `path`). */
function fileEntry(entry: string): [string, string] {
  const eq = entry.indexOf('=');
  const path = eq < 0 ? entry : entry.slice(eq + 1);
  return [eq < 0 ? (path.split('/').pop() ?? path) : entry.slice(0, eq), path];
}

export function generatedBy(config: unknown, file: SourceFile, doc: DocRef): Generated {
  const out: Generated = { dataFiles: new Set(), objects: [] };
  const dir = dirname(file.abs);
  for (const [field, kind] of GENERATORS) {
    for (const gen of list(get(config, [field]))) {
      if (!isObj(gen) || typeof gen.name !== 'string') continue;
      const data: Record<string, string> = {};
      for (const entry of list(gen.files)) {
        if (typeof entry !== 'string') continue;
        const [key, rel] = fileEntry(entry);
        const abs = resolve(dir, rel);
        out.dataFiles.add(abs);
        if (existsSync(abs)) data[key] = readFileSync(abs, 'utf8');
      }
      for (const env of list(gen.envs)) if (typeof env === 'string') out.dataFiles.add(resolve(dir, env));
      const namespace = String(gen.namespace ?? get(config, ['namespace']) ?? 'default');
      const body = { apiVersion: 'v1', kind, metadata: { name: gen.name, namespace }, data };
      out.objects.push({
        apiVersion: 'v1',
        kind,
        name: gen.name,
        namespace,
        labels: {},
        annotations: {},
        body,
        file,
        doc,
        docPath: [],
      });
    }
  }
  return out;
}
