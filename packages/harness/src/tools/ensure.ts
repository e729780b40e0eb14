import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { checksumFor, sha256 } from './checksum.ts';
import { download } from './download.ts';
import { hostTarget, type Target, TOOL_PINS, type ToolName, type ToolPin } from './pins.ts';
import { extractMember } from './tar.ts';
import { findOnPath, probeVersion } from './version.ts';

export interface ResolvedTool {
  name: ToolName;
  /** Absolute path the runner invokes. */
  path: string;
  version: string;
  /** `path`: the user's own binary; `cache`: downloaded earlier into .tools/bin; `download`: just now. */
  source: 'path' | 'cache' | 'download';
  /** Why a binary on PATH was passed over, when one was. */
  note?: string;
}

export interface EnsureResult {
  tools: ResolvedTool[];
  /** One message per tool that could not be provided; the runner exits 2 when there are any. */
  problems: string[];
}

export interface EnsureOptions {
  /** The checkout; downloads go to `<repoRoot>/.tools/bin`. */
  repoRoot: string;
  tools?: readonly ToolName[];
  /** PATH and the MESHPROOF_<TOOL>_BASE_URL overrides are read from here. */
  env?: NodeJS.ProcessEnv;
  /** Mirror per tool (same layout as upstream); wins over the environment. */
  baseUrls?: Partial<Record<ToolName, string>>;
  target?: Target;
  stallMs?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export const ALL_TOOLS: readonly ToolName[] = ['kind', 'kubectl', 'helm', 'flux'];

/** Binaries go here, relative to the checkout. */
export const TOOLS_BIN = join('.tools', 'bin');

export const baseUrlEnv = (name: ToolName) => `MESHPROOF_${name.toUpperCase()}_BASE_URL`;

const byHand = (pin: ToolPin) =>
  `install ${pin.name} v${pin.version} by hand (${pin.manualInstall}) and put it on PATH`;

/**
 * Makes each pinned tool available: the one on PATH when its version is accepted, else the copy in
 * .tools/bin, else the upstream release, verified against the checksum file that release publishes.
 * A failed download leaves nothing in .tools/bin.
 */
export async function ensureTools(options: EnsureOptions): Promise<EnsureResult> {
  const results = await Promise.all(
    (options.tools ?? ALL_TOOLS).map((name) => ensureTool(TOOL_PINS[name], options)),
  );
  return {
    tools: results.flatMap((r) => ('tool' in r ? [r.tool] : [])),
    problems: results.flatMap((r) => ('problem' in r ? [r.problem] : [])),
  };
}

type Outcome = { tool: ResolvedTool } | { problem: string };

async function ensureTool(pin: ToolPin, options: EnsureOptions): Promise<Outcome> {
  const env = options.env ?? process.env;
  const onPath = findOnPath(pin.name, env.PATH);
  let note: string | undefined;
  if (onPath) {
    const probe = probeVersion(onPath, pin, env);
    if (probe.version !== undefined && pin.accepts(probe.version)) {
      await dropStaleCopy(pin, join(options.repoRoot, TOOLS_BIN, pin.name), onPath, env, options.log);
      return { tool: { name: pin.name, path: onPath, version: probe.version, source: 'path' } };
    }
    note = `${onPath} is ${probe.version === undefined ? `of unknown version (${probe.detail})` : `v${probe.version}`}, not v${pin.version}`;
  }
  const binDir = join(options.repoRoot, TOOLS_BIN);
  const cached = join(binDir, pin.name);
  const cachedProbe = findOnPath(pin.name, binDir) ? probeVersion(cached, pin, env) : undefined;
  if (cachedProbe?.version !== undefined && pin.accepts(cachedProbe.version))
    return { tool: { name: pin.name, path: cached, version: cachedProbe.version, source: 'cache', note } };

  const target = options.target ?? hostTarget();
  if (!target)
    return {
      problem: `${pin.name}: no release asset for ${process.platform}/${process.arch}; ${byHand(pin)}`,
    };
  const base = (options.baseUrls?.[pin.name] ?? env[baseUrlEnv(pin.name)] ?? pin.defaultBase).replace(
    /\/+$/,
    '',
  );
  const assetUrl = base + pin.assetPath(target);
  const checksumUrl = base + pin.checksumPath(target);
  const fail = (url: string, reason: string): Outcome => ({
    problem: `${pin.name} v${pin.version}: ${url}: ${reason}; ${byHand(pin)}`,
  });

  options.log?.(`${pin.name}: downloading ${assetUrl}${note ? ` (${note})` : ''}`);
  // The small checksum file first: a wrong version or mirror fails before the large download.
  const sums = await download(checksumUrl, { stallMs: options.stallMs, signal: options.signal });
  if (!sums.ok) return fail(checksumUrl, sums.reason);
  const asset = await download(assetUrl, { stallMs: options.stallMs, signal: options.signal });
  if (!asset.ok) return fail(assetUrl, asset.reason);
  const assetName = basename(pin.assetPath(target));
  const expected = checksumFor(Buffer.from(sums.body).toString('utf8'), assetName);
  if (!expected) return fail(checksumUrl, `no sha256 for ${assetName} in the checksum file`);
  const actual = sha256(asset.body);
  if (actual !== expected)
    return fail(assetUrl, `sha256 mismatch: the checksum file says ${expected}, the download is ${actual}`);

  let binary: Uint8Array | undefined = asset.body;
  if (pin.archiveMember) {
    const member = pin.archiveMember(target);
    try {
      binary = extractMember(asset.body, member);
    } catch (error) {
      return fail(assetUrl, `not a readable tar.gz (${(error as Error).message})`);
    }
    if (!binary) return fail(assetUrl, `the archive has no ${member}`);
  }
  const executable = binary;

  // One install at a time: running a binary while a forked child still holds another file open for
  // writing can fail with ETXTBSY on Linux.
  const install = installing.then(() => installBinary(pin, executable, binDir, env, options.log, note));
  installing = install.catch(() => {});
  return install.then((r) => ('problem' in r ? fail(assetUrl, r.problem) : r));
}

let installing: Promise<unknown> = Promise.resolve();

/** Temp files older than this were left by a run that was killed outright (SIGKILL, power loss). */
const ORPHAN_AGE_MS = 60 * 60_000;

async function sweepOrphans(binDir: string, name: string) {
  const pattern = new RegExp(`^\\.${name}\\.[0-9a-f-]+\\.tmp$`);
  for (const entry of await readdir(binDir)) {
    if (!pattern.test(entry)) continue;
    const file = join(binDir, entry);
    const age = Date.now() - (await stat(file).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
    if (age > ORPHAN_AGE_MS) await rm(file, { force: true });
  }
}

/**
 * The runner puts .tools/bin ahead of PATH, so a copy there that is not the pin (left by an older
 * pin) would shadow the accepted binary on PATH: remove it. .tools/bin holds only our downloads.
 */
async function dropStaleCopy(
  pin: ToolPin,
  cached: string,
  onPath: string,
  env: NodeJS.ProcessEnv,
  log: ((line: string) => void) | undefined,
) {
  if (cached === onPath || !findOnPath(pin.name, dirname(cached))) return;
  const probe = probeVersion(cached, pin, env);
  if (probe.version !== undefined && pin.accepts(probe.version)) return;
  await rm(cached, { force: true });
  log?.(
    `${pin.name}: removed ${cached} (${probe.version === undefined ? 'unknown version' : `v${probe.version}`}), which would shadow ${onPath}`,
  );
}

async function installBinary(
  pin: ToolPin,
  binary: Uint8Array,
  binDir: string,
  env: NodeJS.ProcessEnv,
  log: ((line: string) => void) | undefined,
  note: string | undefined,
): Promise<Outcome> {
  const cached = join(binDir, pin.name);
  // Written beside its final name and renamed into place, so .tools/bin never holds a partial binary.
  await mkdir(binDir, { recursive: true });
  await sweepOrphans(binDir, pin.name);
  const temp = join(binDir, `.${pin.name}.${randomUUID()}.tmp`);
  try {
    await writeFile(temp, binary);
    await chmod(temp, 0o755);
    const probe = probeVersion(temp, pin, env);
    if (probe.version === undefined || !pin.accepts(probe.version))
      return {
        problem: `the downloaded ${pin.name} ${probe.version === undefined ? `does not run (${probe.detail})` : `reports v${probe.version}`}`,
      };
    await rename(temp, cached);
    log?.(`${pin.name}: v${probe.version} verified and installed in ${TOOLS_BIN}`);
    return { tool: { name: pin.name, path: cached, version: probe.version, source: 'download', note } };
  } finally {
    await rm(temp, { force: true });
  }
}
