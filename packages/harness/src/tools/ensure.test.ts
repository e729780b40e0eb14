import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { TaskContext } from '../registry.ts';
import type { Evidence } from '../step.ts';
import { baseUrlEnv, ensureTools, TOOLS_BIN } from './ensure.ts';
import { hostTarget, type Target, TOOL_PINS, type ToolName } from './pins.ts';
import { TOOL_TASKS } from './tasks.ts';

// Real release layouts served by a real HTTP server on loopback: plain binaries, tar.gz archives
// built with the system tar, and checksum files in each upstream format. The "binaries" are shell
// scripts that print the version line each real tool prints.

// The host's own target, so the ensure-tools task (which reads the host) finds the same assets.
const target: Target = hostTarget() ?? { os: 'linux', arch: 'amd64' };
const assetName = (name: ToolName) => TOOL_PINS[name].assetPath(target).split('/').pop() ?? '';
const versionOutput: Record<ToolName, string> = {
  kind: `kind v${TOOL_PINS.kind.version} go1.25.1 linux/amd64`,
  kubectl: `Client Version: v${TOOL_PINS.kubectl.version}\nKustomize Version: v5.7.1`,
  helm: `v${TOOL_PINS.helm.version}+g0123456`,
  flux: `flux: v${TOOL_PINS.flux.version}`,
};
// printf is a shell builtin, so the scripts run with an empty PATH.
const script = (output: string) =>
  `#!/bin/sh\nprintf '%s\\n' ${output
    .split('\n')
    .map((line) => `'${line}'`)
    .join(' ')}\n`;
const half = (body: Uint8Array) => Math.floor(body.byteLength / 2);
const hex = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

type Route = { body: Uint8Array; status?: number; mode?: 'truncate' | 'close' | 'stall' };
let routes = new Map<string, Route>();
const requests: string[] = [];
let server: Server;
let base: string;
let work: string;
let repo: string;
let emptyPath: string;
const manual = (name: ToolName) =>
  `install ${name} v${TOOL_PINS[name].version} by hand (${TOOL_PINS[name].manualInstall}) and put it on PATH`;

/** The asset and checksum file of each tool, laid out as its upstream release is. */
function release(): Map<string, Route> {
  const map = new Map<string, Route>();
  const stage = mkdtempSync(join(work, 'stage-'));
  const tarGz = (name: ToolName, member: string) => {
    const dir = join(stage, name);
    mkdirSync(join(dir, member, '..'), { recursive: true });
    writeFileSync(join(dir, member), script(versionOutput[name]), { mode: 0o755 });
    writeFileSync(join(dir, 'LICENSE'), 'license text\n');
    execFileSync('tar', ['-czf', join(stage, `${name}.tgz`), '-C', dir, 'LICENSE', member]);
    return readFileSync(join(stage, `${name}.tgz`));
  };
  const assets: Record<ToolName, Uint8Array> = {
    kind: Buffer.from(script(versionOutput.kind)),
    kubectl: Buffer.from(script(versionOutput.kubectl)),
    helm: tarGz('helm', `${target.os}-${target.arch}/helm`),
    flux: tarGz('flux', 'flux'),
  };
  for (const name of ['kind', 'kubectl', 'helm', 'flux'] as const) {
    const pin = TOOL_PINS[name];
    const asset = pin.assetPath(target);
    const file = asset.split('/').pop() ?? '';
    map.set(asset, { body: assets[name] });
    const sum = hex(assets[name]);
    const sums: Record<ToolName, string> = {
      kind: `${sum}  ${file}\n`,
      kubectl: sum,
      helm: `${sum}  ${file}\n`,
      flux: `${'0'.repeat(64)}  flux_${pin.version}_windows_amd64.zip\n${sum}  ${file}\n`,
    };
    map.set(pin.checksumPath(target), { body: Buffer.from(sums[name]) });
  }
  return map;
}

const binDir = () => join(repo, TOOLS_BIN);
const leftovers = () => (existsSync(binDir()) ? readdirSync(binDir()) : []);
const ensure = (tools: ToolName[], env: NodeJS.ProcessEnv = { PATH: emptyPath }, stallMs?: number) =>
  ensureTools({
    repoRoot: repo,
    tools,
    env,
    target,
    baseUrls: { kind: base, kubectl: base, helm: base, flux: base },
    stallMs,
  });

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'meshproof-tools-'));
  emptyPath = join(work, 'empty-path');
  mkdirSync(emptyPath);
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const route = routes.get(req.url ?? '');
    if (!route) {
      res.writeHead(404).end('not here');
      return;
    }
    if (route.mode === 'close') {
      req.socket.destroy();
      return;
    }
    res.writeHead(route.status ?? 200, { 'content-length': String(route.body.byteLength) });
    if (route.mode === 'stall') {
      res.write(route.body.subarray(0, half(route.body)));
      return;
    }
    if (route.mode === 'truncate') {
      res.write(route.body.subarray(0, half(route.body)), () => res.socket?.destroy());
      return;
    }
    res.end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(work, { recursive: true, force: true });
});

beforeEach(() => {
  repo = mkdtempSync(join(work, 'repo-'));
  routes = release();
  requests.length = 0;
});

describe('ensureTools', () => {
  test('downloads, verifies and installs every pinned tool, then reuses the copies', async () => {
    const first = await ensure(['kind', 'kubectl', 'helm', 'flux']);
    assert.deepEqual(first.problems, []);
    assert.deepEqual(
      first.tools.map((t) => [t.name, t.version, t.source, t.path]),
      (['kind', 'kubectl', 'helm', 'flux'] as const).map((n) => [
        n,
        TOOL_PINS[n].version,
        'download',
        join(binDir(), n),
      ]),
    );
    assert.deepEqual(leftovers().sort(), ['flux', 'helm', 'kind', 'kubectl']);
    for (const name of leftovers()) assert.equal(statSync(join(binDir(), name)).mode & 0o777, 0o755);
    assert.equal(
      execFileSync(join(binDir(), 'helm'), ['version', '--short'], { encoding: 'utf8' }).trim(),
      versionOutput.helm,
    );

    requests.length = 0;
    const second = await ensure(['kind', 'kubectl', 'helm', 'flux']);
    assert.deepEqual(
      second.tools.map((t) => t.source),
      ['cache', 'cache', 'cache', 'cache'],
    );
    assert.deepEqual(requests, [], 'nothing is downloaded again');
  });

  test('a checksum mismatch names the URL and both hashes and installs nothing', async () => {
    const asset = TOOL_PINS.kind.assetPath(target);
    const good = hex(routes.get(asset)?.body ?? '');
    const wrong = hex('something else');
    routes.set(TOOL_PINS.kind.checksumPath(target), {
      body: Buffer.from(`${wrong}  ${assetName('kind')}\n`),
    });
    const result = await ensure(['kind']);
    assert.deepEqual(result.tools, []);
    assert.deepEqual(result.problems, [
      `kind v${TOOL_PINS.kind.version}: ${base}${asset}: sha256 mismatch: the checksum file says ${wrong}, the download is ${good}; ${manual('kind')}`,
    ]);
    assert.deepEqual(leftovers(), []);
  });

  test('a checksum file without the asset is refused', async () => {
    const sums = TOOL_PINS.flux.checksumPath(target);
    routes.set(sums, {
      body: Buffer.from(`${'1'.repeat(64)}  flux_${TOOL_PINS.flux.version}_windows_amd64.zip\n`),
    });
    const result = await ensure(['flux']);
    assert.deepEqual(result.problems, [
      `flux v${TOOL_PINS.flux.version}: ${base}${sums}: no sha256 for ${assetName('flux')} in the checksum file; ${manual('flux')}`,
    ]);
    assert.deepEqual(leftovers(), []);
  });

  test('a body shorter than its Content-Length is reported as truncated', async () => {
    const asset = TOOL_PINS.helm.assetPath(target);
    const route = routes.get(asset);
    assert.ok(route);
    routes.set(asset, { ...route, mode: 'truncate' });
    const result = await ensure(['helm']);
    assert.deepEqual(result.problems, [
      `helm v${TOOL_PINS.helm.version}: ${base}${asset}: truncated body: received ${half(route.body)} of ${route.body.byteLength} bytes (Content-Length), then the connection failed: terminated (UND_ERR_SOCKET: the server closed the connection); ${manual('helm')}`,
    ]);
    assert.deepEqual(leftovers(), []);
  });

  test('a download that stops sending is given up after the stall timeout', async () => {
    const asset = TOOL_PINS.flux.assetPath(target);
    const route = routes.get(asset);
    assert.ok(route);
    routes.set(asset, { ...route, mode: 'stall' });
    const result = await ensure(['flux'], { PATH: emptyPath }, 300);
    assert.deepEqual(result.problems, [
      `flux v${TOOL_PINS.flux.version}: ${base}${asset}: truncated body: received ${half(route.body)} of ${route.body.byteLength} bytes (Content-Length), then the connection failed: no data for 0.3 s; ${manual('flux')}`,
    ]);
    assert.deepEqual(leftovers(), []);
  });

  test('a refused connection is a network error naming the URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await ensureTools({
      repoRoot: repo,
      tools: ['helm'],
      env: { PATH: emptyPath },
      target,
      baseUrls: { helm: `http://127.0.0.1:${port}` },
    });
    assert.deepEqual(result.problems, [
      `helm v${TOOL_PINS.helm.version}: http://127.0.0.1:${port}${TOOL_PINS.helm.checksumPath(target)}: network error: fetch failed (ECONNREFUSED: connection refused); ${manual('helm')}`,
    ]);
    assert.deepEqual(leftovers(), []);
  });

  test('an aborted run stops the download and leaves nothing', async () => {
    const abort = new AbortController();
    abort.abort();
    const result = await ensureTools({
      repoRoot: repo,
      tools: ['kind'],
      env: { PATH: emptyPath },
      target,
      baseUrls: { kind: base },
      signal: abort.signal,
    });
    assert.deepEqual(result.problems, [
      `kind v${TOOL_PINS.kind.version}: ${base}${TOOL_PINS.kind.checksumPath(target)}: network error: aborted; ${manual('kind')}`,
    ]);
    assert.deepEqual(leftovers(), []);
  });

  test('temp files a killed run left more than an hour ago are swept; a fresh one (another run) is kept', async () => {
    mkdirSync(binDir(), { recursive: true });
    const old = join(binDir(), '.kind.0b1c2d3e-aaaa-bbbb-cccc-0123456789ab.tmp');
    const fresh = join(binDir(), '.kind.1b1c2d3e-aaaa-bbbb-cccc-0123456789ab.tmp');
    writeFileSync(old, 'half a binary');
    writeFileSync(fresh, 'another run is writing this');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    utimesSync(old, twoHoursAgo, twoHoursAgo);
    const result = await ensure(['kind']);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(leftovers().sort(), ['.kind.1b1c2d3e-aaaa-bbbb-cccc-0123456789ab.tmp', 'kind']);
  });

  test('an HTTP error status is reported with the URL', async () => {
    const asset = TOOL_PINS.kubectl.assetPath(target);
    routes.delete(asset);
    const result = await ensure(['kubectl']);
    assert.deepEqual(result.problems, [
      `kubectl v${TOOL_PINS.kubectl.version}: ${base}${asset}: HTTP 404 Not Found; ${manual('kubectl')}`,
    ]);
    assert.deepEqual(leftovers(), []);
  });

  test('a server that drops the connection is a network error', async () => {
    const asset = TOOL_PINS.kind.assetPath(target);
    routes.set(asset, { body: Buffer.alloc(0), mode: 'close' });
    const result = await ensure(['kind']);
    assert.deepEqual(result.problems, [
      `kind v${TOOL_PINS.kind.version}: ${base}${asset}: network error: fetch failed (UND_ERR_SOCKET: the server closed the connection); ${manual('kind')}`,
    ]);
    assert.deepEqual(leftovers(), []);
  });

  test('a verified download that reports another version is not installed', async () => {
    const asset = TOOL_PINS.kind.assetPath(target);
    const body = Buffer.from(script('kind v0.31.0 go1.25.1 linux/amd64'));
    routes.set(asset, { body });
    routes.set(TOOL_PINS.kind.checksumPath(target), {
      body: Buffer.from(`${hex(body)}  ${assetName('kind')}\n`),
    });
    const result = await ensure(['kind']);
    assert.deepEqual(result.problems, [
      `kind v${TOOL_PINS.kind.version}: ${base}${asset}: the downloaded kind reports v0.31.0; ${manual('kind')}`,
    ]);
    assert.deepEqual(leftovers(), [], 'the temp file is removed');
  });

  test('the tool on PATH is used when its version matches, without any download', async () => {
    const dir = mkdtempSync(join(work, 'path-'));
    writeFileSync(join(dir, 'kind'), script(versionOutput.kind));
    chmodSync(join(dir, 'kind'), 0o755);
    const result = await ensure(['kind'], { PATH: `${emptyPath}:${dir}` });
    assert.deepEqual(result, {
      tools: [{ name: 'kind', path: join(dir, 'kind'), version: TOOL_PINS.kind.version, source: 'path' }],
      problems: [],
    });
    assert.deepEqual(requests, []);
    assert.equal(existsSync(binDir()), false);
  });

  test('a tool on PATH at another version is passed over for the pinned download', async () => {
    const dir = mkdtempSync(join(work, 'path-'));
    writeFileSync(join(dir, 'flux'), script('flux: v2.8.0'), { mode: 0o755 });
    chmodSync(join(dir, 'flux'), 0o755);
    const result = await ensure(['flux'], { PATH: dir });
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.tools, [
      {
        name: 'flux',
        path: join(binDir(), 'flux'),
        version: TOOL_PINS.flux.version,
        source: 'download',
        note: `${join(dir, 'flux')} is v2.8.0, not v${TOOL_PINS.flux.version}`,
      },
    ]);
  });

  test('the base URL comes from MESHPROOF_<TOOL>_BASE_URL when no option is given', async () => {
    const result = await ensureTools({
      repoRoot: repo,
      tools: ['kubectl'],
      env: { PATH: emptyPath, [baseUrlEnv('kubectl')]: `${base}/` },
      target,
    });
    assert.deepEqual(result.problems, []);
    assert.deepEqual(requests.sort(), [
      TOOL_PINS.kubectl.assetPath(target),
      TOOL_PINS.kubectl.checksumPath(target),
    ]);
  });

  test('a copy in .tools/bin that is not the pin is removed when PATH has the right one', async () => {
    const dir = mkdtempSync(join(work, 'path-'));
    writeFileSync(join(dir, 'kind'), script(versionOutput.kind));
    chmodSync(join(dir, 'kind'), 0o755);
    mkdirSync(binDir(), { recursive: true });
    writeFileSync(join(binDir(), 'kind'), script('kind v0.31.0 go1.25.1 linux/amd64'));
    chmodSync(join(binDir(), 'kind'), 0o755);
    const result = await ensure(['kind'], { PATH: dir });
    assert.equal(result.tools[0]?.source, 'path');
    assert.deepEqual(leftovers(), []);
  });

  test('the ensure-tools task installs through the same path and reports each tool as evidence', async () => {
    const saved = { PATH: process.env.PATH, url: process.env[baseUrlEnv('kind')] };
    process.env.PATH = emptyPath;
    process.env[baseUrlEnv('kind')] = base;
    const evidence: Evidence[] = [];
    const lines: string[] = [];
    try {
      const ctx = {
        root: repo,
        signal: new AbortController().signal,
        log: (line: string) => lines.push(line),
        evidence: (e: Evidence) => evidence.push(e),
      } as unknown as TaskContext;
      await TOOL_TASKS['ensure-tools']?.({ tools: [{ name: 'kind', version: TOOL_PINS.kind.version }] }, ctx);
    } finally {
      process.env.PATH = saved.PATH;
      if (saved.url === undefined) delete process.env[baseUrlEnv('kind')];
      else process.env[baseUrlEnv('kind')] = saved.url;
    }
    assert.deepEqual(evidence, [
      {
        type: 'tool',
        name: 'kind',
        version: TOOL_PINS.kind.version,
        path: join(binDir(), 'kind'),
        source: 'download',
      },
    ]);
    assert.deepEqual(lines, [
      `kind: downloading ${base}${TOOL_PINS.kind.assetPath(target)}`,
      `kind: v${TOOL_PINS.kind.version} verified and installed in ${TOOLS_BIN}`,
      `kind v${TOOL_PINS.kind.version}: ${join(binDir(), 'kind')} (download)`,
    ]);
  });
});
