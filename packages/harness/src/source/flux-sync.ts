// The objects the runner applies after `flux install`: the rendered clusters/<name>/sync/sync.yaml
// as it is, except that the flux-system GitRepository fetches from the run's source server. Read from
// the file the user would apply, never retyped, so name, namespace, ref, ignore rules and interval
// stay what the render wrote.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Json, KubeAction } from '../step.ts';

export type ApplyObject = Extract<KubeAction, { op: 'apply' }>['objects'][number];

export interface FluxSync {
  /** Every object of sync.yaml in file order, the GitRepository's URL replaced. */
  objects: ApplyObject[];
  /** The branch the GitRepository follows: the snapshot is published there. */
  branch: string;
  /** The GitRepository, for waits on its Ready condition and artifact revision. */
  source: { name: string; namespace: string };
}

/** Where render writes the sync template of a cluster (packages/render layout: SYNC_DIR). */
export const syncFile = (cluster: string): string => join('clusters', cluster, 'sync', 'sync.yaml');

/**
 * Fields that reach the user's real remote (credentials, cloud provider auth, proxy) or check its
 * signatures; the run's server needs none and its snapshot commit is unsigned.
 */
const REMOTE_ONLY = ['secretRef', 'provider', 'proxySecretRef', 'verify'] as const;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The sync objects of `text` (read from `file`, named in errors) with the GitRepository fetching from `url`. */
export function fluxSyncFrom(text: string, file: string, url: string): FluxSync {
  const docs = parseAllDocuments(text);
  const objects: ApplyObject[] = [];
  for (const [i, doc] of docs.entries()) {
    if (doc.errors.length > 0) throw new Error(`${file}: document ${i + 1}: ${doc.errors[0]?.message}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (!isRecord(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string')
      throw new Error(`${file}: document ${i + 1} is not a Kubernetes object (apiVersion and kind)`);
    const metadata = value.metadata;
    if (!isRecord(metadata) || typeof metadata.name !== 'string')
      throw new Error(`${file}: document ${i + 1} (${value.kind}) has no metadata.name`);
    objects.push(value as unknown as ApplyObject);
  }
  const sources = objects.filter((o) => o.kind === 'GitRepository');
  if (sources.length !== 1)
    throw new Error(
      `${file}: expected exactly one GitRepository (the flux-system source), found ${sources.length}; re-render with \`meshproof render\``,
    );
  const source = sources[0] as ApplyObject;
  const spec = source.spec;
  const ref = isRecord(spec) ? spec.ref : undefined;
  const branch = isRecord(ref) ? ref.branch : undefined;
  if (!isRecord(spec) || typeof branch !== 'string' || Object.keys(ref as object).length !== 1)
    throw new Error(
      `${file}: GitRepository ${source.metadata.name} must follow a branch (spec.ref.branch only): the run serves the checkout as a branch`,
    );
  const served: { [key: string]: Json } = { ...(spec as { [key: string]: Json }), url };
  for (const field of REMOTE_ONLY) delete served[field];
  const namespace = source.metadata.namespace ?? 'default';
  return {
    objects: objects.map((o) => (o === source ? { ...o, spec: served } : o)),
    branch,
    source: { name: source.metadata.name, namespace },
  };
}

/**
 * The GitRepository's status.artifact.revision once Flux has fetched `commit` of `branch`:
 * "<branch>@sha1:<commit>" (source-controller docs, spec/gitrepositories.md, example status).
 */
export const fluxRevision = (branch: string, commit: string): string => `${branch}@sha1:${commit}`;

/** fluxSyncFrom over the checkout's rendered sync.yaml of `cluster`. */
export async function readFluxSync(root: string, cluster: string, url: string): Promise<FluxSync> {
  const file = syncFile(cluster);
  const text = await readFile(join(root, file), 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new Error(
      `${file}: ${err.code === 'ENOENT' ? 'missing; run `./dev meshproof render`' : err.message}`,
    );
  });
  return fluxSyncFrom(text, file, url);
}
