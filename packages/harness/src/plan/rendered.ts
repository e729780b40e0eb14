// What the render wrote for one cluster, read back from clusters/<name>/ on disk: the tree Flux will
// apply (and the source server serves), not a fresh render of the spec.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LAYER_DIR, LAYERS, type Layer, OPTIONAL_LAYERS } from '@meshproof/render';
import { parseAllDocuments } from 'yaml';
import { parseDuration } from './duration.ts';

export interface RenderedObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: Record<string, unknown>;
}

export interface FluxWaitTarget {
  kind: 'Kustomization' | 'HelmRelease';
  apiVersion: string;
  name: string;
  namespace: string;
  /** Where the render wrote it, relative to the repository root. */
  file: string;
  /** spec.timeout (Flux's default when unset), in ms. */
  timeoutMs: number;
  /** What the wait bound is made of, in words. */
  bound: string;
  /** Namespace the workload lands in (a HelmRelease's targetNamespace), for diagnostics. */
  workloadNamespace: string;
}

export interface RenderedCluster {
  dir: string;
  /** Layer Kustomizations (crds → [identity] → controllers → configs → apps) and the HelmReleases in each layer. */
  layers: { layer: Layer; kustomization: FluxWaitTarget; helmReleases: FluxWaitTarget[] }[];
  /** kind node container names (the node names), control plane first. */
  nodes: string[];
}

export class RenderedTreeError extends Error {}

function readObjects(root: string, file: string): RenderedObject[] {
  const docs = parseAllDocuments(readFileSync(join(root, file), 'utf8'));
  return docs.flatMap((d) => {
    if (d.errors.length > 0) throw new RenderedTreeError(`${file}: ${d.errors[0]?.message}`);
    const o = d.toJS() as RenderedObject | null;
    return o && typeof o === 'object' && o.kind ? [o] : [];
  });
}

function yamlFiles(root: string, dir: string): string[] {
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.yaml') && e.name !== 'kustomization.yaml')
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}

const durationOf = (file: string, o: RenderedObject, field: string, fallback: string) => {
  const value = (o.spec?.[field] as string | undefined) ?? fallback;
  try {
    return parseDuration(value);
  } catch (e) {
    throw new RenderedTreeError(
      `${file}: ${o.kind} ${o.metadata.name} spec.${field}: ${(e as Error).message}`,
    );
  }
};

const targetOf = (
  file: string,
  o: RenderedObject,
  kind: FluxWaitTarget['kind'],
  bound: Pick<FluxWaitTarget, 'timeoutMs' | 'bound'>,
): FluxWaitTarget => ({
  kind,
  apiVersion: o.apiVersion,
  name: o.metadata.name,
  namespace: o.metadata.namespace ?? 'flux-system',
  file,
  ...bound,
  workloadNamespace: (o.spec?.targetNamespace as string | undefined) ?? o.metadata.namespace ?? 'flux-system',
});

// Flux's documented defaults: a Kustomization's timeout defaults to its interval, a HelmRelease's to 5m.
function kustomizationTarget(file: string, o: RenderedObject): FluxWaitTarget {
  const interval = (o.spec?.interval as string | undefined) ?? '10m';
  const timeoutMs = durationOf(file, o, 'timeout', interval);
  const retryMs = durationOf(file, o, 'retryInterval', interval);
  return targetOf(file, o, 'Kustomization', {
    // One failed attempt (a webhook not yet serving) is retried after retryInterval: allow it once.
    timeoutMs: timeoutMs + retryMs,
    bound: `spec.timeout ${o.spec?.timeout ?? `${interval} (interval)`} + spec.retryInterval ${o.spec?.retryInterval ?? interval} of ${file}`,
  });
}

function helmReleaseTarget(file: string, o: RenderedObject): FluxWaitTarget {
  const timeoutMs = durationOf(file, o, 'timeout', '5m');
  const install = o.spec?.install as { remediation?: { retries?: number } } | undefined;
  // One install attempt, plus one remediation retry when the render allows retries: a release that
  // needs more than that is broken for the proof, even if helm-controller would keep trying.
  const attempts = (install?.remediation?.retries ?? 0) > 0 ? 2 : 1;
  return targetOf(file, o, 'HelmRelease', {
    timeoutMs: timeoutMs * attempts,
    bound: `spec.timeout ${o.spec?.timeout ?? '5m (default)'} × ${attempts} install attempt(s) of ${file}`,
  });
}

function kindNodes(root: string, file: string, cluster: string): string[] {
  const [config] = readObjects(root, file) as unknown as { nodes?: { role?: string }[] }[];
  const roles = (config?.nodes ?? [{ role: 'control-plane' }]).map((n) => n.role ?? 'control-plane');
  // kind names node containers <cluster>-control-plane, -control-plane2, …, -worker, -worker2, …
  const named = (role: string) =>
    roles.filter((r) => r === role).map((_, i) => `${cluster}-${role}${i === 0 ? '' : i + 1}`);
  return [...named('control-plane'), ...named('worker')];
}

/** Reads clusters/<name>/ under `root`; a missing or malformed tree throws RenderedTreeError naming the file. */
export function readRenderedCluster(root: string, cluster: string): RenderedCluster {
  const dir = `clusters/${cluster}`;
  for (const need of ['kind.yaml', 'flux']) {
    if (!existsSync(join(root, dir, need)))
      throw new RenderedTreeError(`${dir}/${need} is missing: run \`./dev meshproof render\` first`);
  }
  const fluxKs = yamlFiles(root, `${dir}/flux`).flatMap((f) =>
    readObjects(root, f)
      .filter((o) => o.kind === 'Kustomization')
      .map((o) => ({ f, o })),
  );
  const layers = LAYERS.flatMap((layer) => {
    const found = fluxKs.find(({ o }) => o.metadata.name === layer);
    if (!found && OPTIONAL_LAYERS.has(layer)) return [];
    if (!found) throw new RenderedTreeError(`${dir}/flux: no Kustomization named ${layer}`);
    const helmReleases = yamlFiles(root, `${dir}/${LAYER_DIR[layer]}`).flatMap((f) =>
      readObjects(root, f)
        .filter((o) => o.kind === 'HelmRelease')
        .map((o) => helmReleaseTarget(f, o)),
    );
    return [{ layer, kustomization: kustomizationTarget(found.f, found.o), helmReleases }];
  });
  return {
    dir,
    layers,
    nodes: kindNodes(root, `${dir}/kind.yaml`, cluster),
  };
}
