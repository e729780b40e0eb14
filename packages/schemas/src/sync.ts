// `schemas sync`: fetch every locked source (mirror or network), verify its sha256, derive one
// converted schema per kind version, and swap the result into the cache dir in one rename.
// Any failure leaves the previous cache (or no cache) exactly as it was.
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type CacheManifest, type KindEntry, kindFile, MANIFEST } from './cache.ts';
import { crdSchemasFromYaml, type KindSchema } from './crd.ts';
import { type Fetcher, httpFetcher, loadSource, SyncError, sha256 } from './fetch-source.ts';
import { linkerdScope, renderLinkerdCrds } from './linkerd.ts';
import { type LockedSource, lockPath, parseLock } from './lock.ts';
import { toAjvSchema } from './openapi.ts';

export interface SyncOptions {
  cacheDir: string;
  /** Directory laid out like the upstream mirror; without it, sources are downloaded. */
  mirror?: string;
  lockFile?: string;
  fetcher?: Fetcher;
}

export interface SyncResult {
  files: number;
  kinds: number;
  cacheDir: string;
}

const decode = (b: Uint8Array): string => new TextDecoder().decode(b);

function kindSchemas(sources: LockedSource[], texts: Map<string, string>): KindSchema[] {
  const out: KindSchema[] = [];
  // Standard channel first so it wins when experimental defines the same kind version.
  const crds = sources
    .filter((s) => s.format === 'crd')
    .sort((a, b) => Number(a.channel === 'experimental') - Number(b.channel === 'experimental'));
  for (const s of crds) out.push(...crdSchemasFromYaml(texts.get(s.file) ?? '', s.file));
  const values = sources.find((s) => s.format === 'helm-values');
  const templates = sources.filter((s) => s.format === 'helm-template');
  if (templates.length > 0) {
    if (!values) throw new SyncError('lock lists Helm templates but no helm-values file to render them with');
    const rendered = renderLinkerdCrds(
      templates.map((t) => ({ file: t.file, text: texts.get(t.file) ?? '' })),
      linkerdScope(texts.get(values.file) ?? ''),
    );
    for (const r of rendered) out.push(...crdSchemasFromYaml(r.text, r.file));
  }
  return out;
}

async function build(
  dir: string,
  lockBytes: Uint8Array,
  sources: LockedSource[],
  opts: SyncOptions,
): Promise<SyncResult> {
  const texts = new Map<string, string>();
  for (const src of sources) {
    const bytes = await loadSource(src, opts.mirror, opts.fetcher ?? httpFetcher);
    const target = join(dir, 'upstream', src.file);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, bytes);
    texts.set(src.file, decode(bytes));
  }
  const seen = new Set<string>();
  const kinds: KindEntry[] = [];
  for (const k of kindSchemas(sources, texts)) {
    const key = `${k.group}/${k.version}/${k.kind}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const file = kindFile(k);
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), JSON.stringify(toAjvSchema(k.schema)));
    const { schema: _schema, ...meta } = k;
    kinds.push({ ...meta, file });
  }
  const manifest: CacheManifest = { lockSha256: sha256(lockBytes), kinds };
  await writeFile(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 1)}\n`);
  return { files: sources.length, kinds: kinds.length, cacheDir: opts.cacheDir };
}

export async function syncSchemas(opts: SyncOptions): Promise<SyncResult> {
  const lockFile = opts.lockFile ?? lockPath;
  const lockBytes = await readFile(lockFile);
  const { sources } = parseLock(decode(lockBytes), lockFile);
  const parent = dirname(opts.cacheDir);
  await mkdir(parent, { recursive: true });
  const tmp = await mkdtemp(join(parent, `.${basename(opts.cacheDir)}.tmp-`));
  try {
    const result = await build(tmp, lockBytes, sources, opts);
    const old = `${tmp}.old`;
    await rename(opts.cacheDir, old).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
    await rename(tmp, opts.cacheDir);
    await rm(old, { recursive: true, force: true });
    return result;
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
}
