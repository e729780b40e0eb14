// `meshproof bench --local`: the floor under any sidecar mesh, measured on this machine. The demo
// backend is run twice per repetition, once reached directly (plain) and once through the HAProxy
// mTLS pair (mesh), in alternating order so drift hits both sides; each run is open-model load
// from ./open-loop.ts written as k6 JSON. Everything it starts (proxies, backends) is stopped and
// its throwaway PKI deleted, whatever happens; the output folder appears only when complete.
import { mkdir, mkdtemp, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ResourceSamples, rawPath, resourcesPath, type Side } from '../results/layout.ts';
import { newHistogram, percentilesMs, recordMs } from '../stats/histogram.ts';
import { type Backend, startBackend } from './backend-process.ts';
import { makePki } from './certs.ts';
import { freePort, run as runTool } from './exec.ts';
import { haproxyVersion, type ProxyPair, startProxyPair } from './haproxy.ts';
import { writeK6Json } from './k6-json.ts';
import { type OpenLoopResult, openLoop } from './open-loop.ts';
import { sampleProcesses } from './proc-stats.ts';
import type { LocalProfile } from './profiles.ts';

export const LOCAL_LABEL =
  'The floor, not a mesh result: the cost of one mTLS proxy hop pair (HAProxy, TLS 1.3, L4) on loopback';
export const PLAIN_SIDE =
  'load generator → demo backend: plaintext HTTP/1.1 over reused keep-alive connections on 127.0.0.1';
export const MESH_SIDE =
  'adds HAProxy A (plaintext in, mTLS out with a client certificate) and HAProxy B (requires and verifies it ' +
  'against a throwaway CA, plaintext to the backend): two userspace proxy traversals and one TLS 1.3 link, ' +
  'connections reused; no HTTP parsing, telemetry or policy as a real mesh proxy adds';

export type LocalRun = {
  repetition: number;
  side: Side;
  /** Position in the alternating schedule (0-based). */
  order: number;
  /** Absolute path of the k6 JSON file. */
  file: string;
  generator: GeneratorStats;
};

/** How well the generator kept its schedule in one run (the part of latency that is its own). */
export type GeneratorStats = {
  scheduled: number;
  /** Replies received (any status); the rest were dropped or failed without a reply. */
  completed: number;
  dropped: number;
  failed: number;
  unfinished: number;
  /** Actual send − intended send, ms. */
  sendLagMs: { p50: number; p99: number; max: number };
  /** Iterations sent more than 1 ms late (their latency includes the lateness). */
  lateOver1ms: number;
  connections: number;
  reconnects: number;
  errors: Record<string, number>;
};

export type LocalBenchResult = {
  runId: string;
  /** os.loadavg() (1, 5, 15 min) before and after: how much else this machine was doing. */
  loadAverage: { before: number[]; after: number[] };
  dir: string;
  runs: LocalRun[];
  versions: Record<string, string>;
  /** What was started and must be gone by now (checked by the tests). */
  started: { pkiDir: string; pids: number[] };
};

function generatorStats(r: OpenLoopResult, connections: number): GeneratorStats {
  const lags = [...r.sendLagMs].filter((x, k) => !Number.isNaN(x) && !r.dropped[k]).sort((a, b) => a - b);
  const q = (p: number) => lags[Math.min(lags.length - 1, Math.floor(p * lags.length))] ?? Number.NaN;
  return {
    scheduled: r.scheduled,
    completed: r.counts.completed,
    dropped: r.counts.dropped,
    failed: r.counts.failed,
    unfinished: r.counts.unfinished,
    sendLagMs: { p50: q(0.5), p99: q(0.99), max: lags.at(-1) ?? Number.NaN },
    lateOver1ms: lags.filter((x) => x > 1).length,
    connections,
    reconnects: r.connections.reopened,
    errors: Object.fromEntries(r.errors),
  };
}

const summary = (r: OpenLoopResult, g: GeneratorStats) => {
  const h = newHistogram();
  for (const x of r.latencyMs) if (!Number.isNaN(x)) recordMs(h, x);
  const p = percentilesMs(h);
  const f = (v: number) => v.toFixed(3);
  return (
    `${r.counts.ok} ok, p50 ${f(p.p50)} p99 ${f(p.p99)} p99.9 ${f(p.p999)} ms; ` +
    `dropped ${g.dropped}, failed ${g.failed}; send lag p99 ${f(g.sendLagMs.p99)} ms`
  );
};

export async function toolVersions(): Promise<Record<string, string>> {
  const haproxy = await haproxyVersion();
  return { haproxy, openssl: (await runTool('openssl', ['version'])).trim(), node: process.version };
}

/**
 * Runs the profile; writes raw/NN-<side>.json and resources/NN-mesh.json under `<outRoot>/<runId>/local/`.
 * `log` gets one line per run as it finishes.
 */
export async function runLocalBench(
  outRoot: string,
  runId: string,
  profile: LocalProfile,
  log: (line: string) => void,
): Promise<LocalBenchResult> {
  const versions = await toolVersions(); // fails first, with the install hint, when HAProxy is missing
  const loadBefore = loadavg();
  const finalDir = join(outRoot, runId, 'local');
  const dir = join(outRoot, runId, `.local.partial-${process.pid}`);
  const pkiDir = await mkdtemp(join(tmpdir(), 'meshproof-bench-pki-'));
  let pair: ProxyPair | undefined;
  let backend: Backend | undefined;
  const pids: number[] = [];
  const stopAll = async () => {
    await backend?.stop();
    await pair?.stop();
    await rm(pkiDir, { recursive: true, force: true });
  };
  // Ctrl-C or a kill: stop the children and delete the keys before leaving.
  const onSignal = (signal: NodeJS.Signals) => {
    void stopAll().finally(() => process.kill(process.pid, signal));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await mkdir(join(dir, 'raw'), { recursive: true });
    await mkdir(join(dir, 'resources'), { recursive: true });
    const pki = await makePki(pkiDir);
    log(`throwaway CA and keys in ${pkiDir} (deleted at the end)`);
    const backendPort = await freePort();
    pair = await startProxyPair(pkiDir, pki, backendPort);
    pids.push(pair.a.pid as number, pair.b.pid as number);
    const proxies = [
      { name: 'proxy-a', pid: pair.a.pid as number },
      { name: 'proxy-b', pid: pair.b.pid as number },
    ];
    const path = `/api/echo?size=${profile.payloadBytes}`;
    const runs: LocalRun[] = [];
    for (let rep = 1; rep <= profile.repetitions; rep++) {
      const order: Side[] = rep % 2 === 1 ? ['plain', 'mesh'] : ['mesh', 'plain'];
      for (const side of order) {
        // A fresh backend per run: both sides start from the same process state.
        backend = await startBackend(backendPort);
        pids.push(backend.pid as number);
        const port = side === 'plain' ? backendPort : pair.a.port;
        const sampler = side === 'mesh' ? sampleProcesses(proxies, 500) : undefined;
        const result = await openLoop({
          port,
          path,
          rate: profile.rate,
          durationS: profile.durationSeconds,
          warmupS: profile.warmupSeconds,
          connections: profile.connections,
        });
        const samples = sampler?.stop() ?? [];
        await backend.stop();
        backend = undefined;
        const file = rawPath(dir, rep, side);
        await writeK6Json(file, result, side, `http://127.0.0.1${path}`);
        if (side === 'mesh') {
          const resources: ResourceSamples = {
            source: '/proc/<pid>/stat and /proc/<pid>/status of the two HAProxy processes, every 500 ms',
            samples: samples.map((x) => ({
              time: x.time,
              namespace: 'local',
              pod: x.name,
              container: 'haproxy',
              component: 'haproxy mTLS pair (A + B)',
              cpuMillicores: x.cpuMillicores,
              memoryBytes: x.memoryBytes,
            })),
          };
          await writeFile(resourcesPath(dir, rep, side), `${JSON.stringify(resources, null, 2)}\n`);
        }
        const generator = generatorStats(result, profile.connections);
        runs.push({
          repetition: rep,
          side,
          order: runs.length,
          file: rawPath(finalDir, rep, side),
          generator,
        });
        log(`repetition ${rep} ${side.padEnd(5)} ${summary(result, generator)}`);
      }
    }
    await rename(dir, finalDir);
    const loadAverage = { before: loadBefore, after: loadavg() };
    return { runId, loadAverage, dir: finalDir, runs, versions, started: { pkiDir, pids } };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    await rmdir(join(outRoot, runId)).catch(() => {}); // only when nothing else is in it
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stopAll();
  }
}
