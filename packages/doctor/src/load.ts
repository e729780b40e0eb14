// Read the input paths into cluster sets of parsed objects, keeping every document's positions.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { Composer, type Document, LineCounter, Parser } from 'yaml';
import { generatedBy } from './generators.ts';
import type { ClusterSet, DocRef, Json, K8sObject, ParseProblem, Path, Scope, SourceFile } from './model.ts';

/** Input that cannot be read at all (missing path, permissions): exit 2, not a finding. */
export class InputError extends Error {}

const CLUSTER_SCOPED = new Set([
  'Namespace',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleBinding',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'GatewayClass',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'CiliumClusterwideNetworkPolicy',
  'CiliumCIDRGroup',
  'CiliumLoadBalancerIPPool',
  'ClusterIssuer',
]);

// kustomization.yaml and kind cluster configs configure tools; they are not objects applied to a cluster.
const TOOL_CONFIG_GROUPS = ['kustomize.config.k8s.io/', 'kind.x-k8s.io/'];
const isBuildConfig = (apiVersion: unknown): boolean =>
  typeof apiVersion === 'string' && TOOL_CONFIG_GROUPS.some((g) => apiVersion.startsWith(g));

const isYaml = (name: string): boolean => name.endsWith('.yaml') || name.endsWith('.yml');

function stat(path: string) {
  try {
    return statSync(path);
  } catch (error) {
    throw new InputError(
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.isFile() && isYaml(entry.name)) out.push(full);
  }
}

/** Every YAML file under the given paths (files are taken as given, whatever their extension). */
export function collectFiles(paths: string[], cwd: string): string[] {
  const files = new Set<string>();
  for (const p of paths) {
    const abs = resolve(cwd, p);
    if (stat(abs).isDirectory()) {
      const found: string[] = [];
      walk(abs, found);
      for (const f of found) files.add(f);
    } else files.add(abs);
  }
  return [...files];
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strMap = (v: unknown): Record<string, string> =>
  v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as Json).map(([k, x]) => [k, String(x)]))
    : {};

// yaml's guard against alias bombs: expanding more aliases than this throws instead of exhausting memory.
// Kubernetes manifests rarely use aliases at all; 100 leaves room for hand-written anchors.
const MAX_ALIASES = 100;

/** `v1 List` (what `kubectl get -o yaml` writes) and typed `<Kind>List`s: containers, not objects. */
const isList = (obj: Json): boolean =>
  typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items);

function toObject(obj: Json, file: SourceFile, doc: DocRef, docPath: Path): K8sObject {
  const meta = (obj.metadata ?? {}) as Json;
  const kind = str(obj.kind);
  return {
    apiVersion: str(obj.apiVersion),
    kind,
    name: str(meta.name),
    namespace: CLUSTER_SCOPED.has(kind) ? '' : str(meta.namespace) || 'default',
    labels: strMap(meta.labels),
    annotations: strMap(meta.annotations),
    body: obj,
    file,
    doc,
    docPath,
  };
}

/** The objects of one document: itself, or the items of a List (nested Lists included). */
function objectsOf(
  obj: Json,
  file: SourceFile,
  doc: Document,
  ref: DocRef,
  docPath: Path,
  parsed: Parsed,
): void {
  if (!isList(obj)) {
    parsed.objects.push(toObject(obj, file, ref, docPath));
    return;
  }
  (obj.items as unknown[]).forEach((item, i) => {
    if (item && typeof item === 'object' && !Array.isArray(item))
      objectsOf(item as Json, file, doc, ref, [...docPath, 'items', i], parsed);
    else
      parsed.problems.push({
        file,
        offset: offsetIn(doc, [...docPath, 'items', i]),
        message: `${String(obj.kind)} item ${i} is not a mapping (expected a Kubernetes object)`,
      });
  });
}

function offsetIn(doc: Document, path: Path): number {
  const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
  return node?.range?.[0] ?? doc.contents?.range?.[0] ?? 0;
}

interface Parsed {
  objects: K8sObject[];
  problems: ParseProblem[];
  /** Files kustomize generators read as data; they are not manifests. */
  dataFiles: Set<string>;
}

export function parseFile(abs: string, cwd: string): Parsed {
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (error) {
    throw new InputError(
      `cannot read ${abs}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const lines = new LineCounter();
  const file: SourceFile = { abs, rel: relative(cwd, abs).split(sep).join('/'), lines, text };
  const parsed: Parsed = { objects: [], problems: [], dataFiles: new Set() };
  // One document at a time: its syntax tree is dropped once its objects are built (see locate.ts).
  const composer = new Composer({ prettyErrors: false });
  for (const doc of composer.compose(new Parser(lines.addNewLine).parse(text), true, text.length)) {
    const ref: DocRef = { start: doc.range[0], end: doc.range[2] };
    const err = doc.errors[0];
    if (err) {
      parsed.problems.push({ file, offset: err.pos[0], message: err.message.split('\n')[0] ?? err.message });
      continue;
    }
    let body: unknown;
    try {
      body = doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (error) {
      // An alias bomb (or any document the library refuses to build) is this file's problem, not a crash.
      const offset = doc.contents?.range?.[0] ?? 0;
      const why =
        error instanceof ReferenceError
          ? `aliases expand beyond ${MAX_ALIASES} nodes (an alias bomb?)`
          : (error as Error).message;
      parsed.problems.push({ file, offset, message: `document not loaded: ${why}` });
      continue;
    }
    if (body === null || body === undefined) continue;
    if (typeof body !== 'object' || Array.isArray(body)) {
      const offset = doc.contents?.range?.[0] ?? 0;
      parsed.problems.push({
        file,
        offset,
        message: 'document is not a mapping (expected a Kubernetes object)',
      });
      continue;
    }
    const obj = body as Json;
    if (isBuildConfig(obj.apiVersion)) {
      const generated = generatedBy(obj, file, ref);
      parsed.objects.push(...generated.objects);
      for (const f of generated.dataFiles) parsed.dataFiles.add(f);
      continue;
    }
    objectsOf(obj, file, doc, ref, [], parsed);
  }
  return parsed;
}

interface ClusterDir {
  key: string;
  name: string;
  sourceRoot?: string;
  clustersDir: string;
}

/** `clusters/<name>` directory a file belongs to, with the directory holding `clusters/`. */
function clusterOf(abs: string): ClusterDir | undefined {
  const parts = abs.split(sep);
  for (let i = parts.length - 3; i >= 0; i--) {
    if (parts[i] === 'clusters') {
      const sourceRoot = parts.slice(0, i).join(sep) || sep;
      const name = parts[i + 1] as string;
      const clustersDir = join(sourceRoot, 'clusters');
      return { key: join(clustersDir, name), name, sourceRoot, clustersDir };
    }
  }
  return undefined;
}

/** A Flux path into this repository's cluster folders: `./clusters/<name>/...`, with `<name>`. */
export const CLUSTER_PATH = /^(?:\.\/)?clusters\/([^/]+)(?:\/|$)/;

/** Cluster names the Flux Kustomizations among `objects` read `./clusters/<name>/...` from. */
function fluxClusterNames(objects: K8sObject[]): Set<string> {
  const names = new Set<string>();
  for (const o of objects) {
    const path = (o.body.spec as Json | undefined)?.path;
    if (o.kind !== 'Kustomization' || !o.apiVersion.includes('fluxcd.io') || typeof path !== 'string')
      continue;
    const name = CLUSTER_PATH.exec(path)?.[1];
    if (name) names.add(name);
  }
  return names;
}

/**
 * For a file outside any `clusters/` folder: the nearest folder above it named after a cluster the
 * input's Flux paths read from, as `meshproof render --out DIR` writes DIR/<cluster>/. Its parent
 * stands for `clusters/`.
 */
function renderedClusterOf(abs: string, names: Set<string>): ClusterDir | undefined {
  for (let dir = dirname(abs); dir !== dirname(dir); dir = dirname(dir)) {
    const name = basename(dir);
    if (names.has(name)) return { key: dir, name, clustersDir: dirname(dir) };
  }
  return undefined;
}

/** Whether the set of `c` is whole: a `clusters/<name>/` folder that an input path covers entirely. */
function scopeOf(c: ClusterDir | undefined, inputs: string[], complete: boolean): Scope {
  if (complete) return 'complete';
  if (!c) return 'files';
  return inputs.some((p) => c.key === p || c.key.startsWith(`${p}${sep}`)) ? 'complete' : 'partial';
}

const gitRoots = new Map<string, string | null>();

/** Root of the git repository holding `dir` (a `.git` folder or file above it), or null. */
export function gitRoot(dir: string): string | null {
  const known = gitRoots.get(dir);
  if (known !== undefined) return known;
  const parent = dirname(dir);
  const root = existsSync(join(dir, '.git')) ? dir : parent === dir ? null : gitRoot(parent);
  gitRoots.set(dir, root);
  return root;
}

export interface LoadOptions {
  /** The user says the input is the whole tree: missing references are errors everywhere. */
  complete?: boolean;
}

export function loadClusters(
  paths: string[],
  cwd: string,
  opts: LoadOptions = {},
): { clusters: ClusterSet[]; files: number } {
  const inputs = paths.map((p) => resolve(cwd, p));
  const files = collectFiles(paths, cwd);
  for (const p of paths) {
    // An empty folder would otherwise pass as a clean check.
    const abs = resolve(cwd, p);
    if (statSync(abs).isDirectory() && !files.some((f) => f.startsWith(`${abs}${sep}`)))
      throw new InputError(`no YAML files under ${p}`);
  }
  const first = resolve(cwd, paths[0] ?? '.');
  const inputRoot = statSync(first).isDirectory() ? first : dirname(first);
  const sets = new Map<string, ClusterSet>();
  const parsedFiles = files.map((abs) => ({ abs, parsed: parseFile(abs, cwd) }));
  const dataFiles = new Set(parsedFiles.flatMap((f) => [...f.parsed.dataFiles]));
  const names = fluxClusterNames(
    parsedFiles.filter((f) => !clusterOf(f.abs)).flatMap((f) => f.parsed.objects),
  );
  for (const { abs, parsed } of parsedFiles) {
    if (dataFiles.has(abs)) continue;
    const c = clusterOf(abs) ?? renderedClusterOf(abs, names);
    // Loose files resolve Flux paths against their own repository, never the working directory's;
    // files of different repositories are different sets.
    const repository = c ? undefined : gitRoot(dirname(abs));
    const key = c?.key ?? `\0loose\0${repository ?? ''}`;
    let set = sets.get(key);
    if (!set) {
      set = {
        name: c?.name ?? 'input',
        sourceRoot: c?.sourceRoot ?? repository ?? inputRoot,
        ...(c ? { clustersDir: c.clustersDir } : { repository }),
        objects: [],
        problems: [],
        scope: scopeOf(c, inputs, opts.complete === true),
      };
      sets.set(key, set);
    }
    set.objects.push(...parsed.objects);
    set.problems.push(...parsed.problems);
  }
  return { clusters: [...sets.values()], files: files.filter((f) => !dataFiles.has(f)).length };
}
