// Benchmark (not a test): the instructions a bare node:http server and the backend execute per
// request, counted by valgrind's callgrind. Unlike CPU time, a count does not move with the machine's
// load, so it is the steady figure on a shared machine; it leaves out the kernel's share (the same
// system calls on both sides) and memory stalls, so it is read beside `bench`, not instead of it.
// Each server runs under callgrind (about 50× slower), answers --warmup requests so V8 has optimized
// the hot path, has its counters zeroed, answers --requests more, and has them dumped.
// Usage: ./dev --filter @meshproof-app/backend bench:instructions [--warmup 8000] [--requests 4000]
//          [--concurrency 16]
// Exit: 0 counted, 1 a request failed or a server did not start, 2 bad flag or valgrind missing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ThreadCounts } from './callgrind.ts';
import { callgrindVersion, callgrindWrapper, dumpCounters, zeroCounters } from './callgrind.ts';
import { readIntFlags } from './flags.ts';
import { sendRequests } from './requests.ts';
import type { ServerProcess } from './servers.ts';
import { startServerProcess } from './servers.ts';

const { warmup, requests, concurrency } = readIntFlags('bench:instructions', {
  warmup: { default: 8000, min: 100, max: 1_000_000 },
  requests: { default: 4000, min: 100, max: 1_000_000 },
  concurrency: { default: 16, min: 1, max: 256 },
});

const valgrind = callgrindVersion();
if (valgrind === undefined) {
  console.error(
    'bench:instructions: valgrind (with callgrind_control) is not installed. Install it with ' +
      '`apt-get install valgrind` (Debian/Ubuntu).',
  );
  process.exit(2);
}

type Target = { label: string; script: string; env: Record<string, string>; path: string };
const script = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const appEnv = { PORT: '0', VERSION: 'bench', SHUTDOWN_DELAY_MS: '0' };
const targets: Target[] = [
  { label: 'bare node:http', script: script('./bare-server.ts'), env: {}, path: '/api/echo?size=1024' },
  { label: '/api/echo?size=1024', script: script('../main.ts'), env: appEnv, path: '/api/echo?size=1024' },
  { label: '/', script: script('../main.ts'), env: appEnv, path: '/' },
];

console.log(
  `instructions per request: ${valgrind} callgrind; each server answers ${warmup} warm-up requests, ` +
    `then ${requests} counted, ${concurrency} at a time over keep-alive connections; ${new Date().toISOString()}`,
);

const dir = mkdtempSync(join(tmpdir(), 'meshproof-callgrind-'));
const started: ServerProcess[] = [];
const begun = Date.now();
let failed = false;

async function count(target: Target): Promise<ThreadCounts> {
  // Starting Node under callgrind takes tens of seconds on a busy machine.
  const server = await startServerProcess(target.label, target.script, target.env, {
    cpu: undefined,
    batch: false,
    wrapper: callgrindWrapper(dir),
    startMs: 300_000,
  });
  started.push(server);
  const url = new URL(`http://127.0.0.1:${server.port}${target.path}`);
  const send = async (n: number, what: string) => {
    const tally = await sendRequests(url, n, concurrency);
    if (tally.failed > 0)
      throw new Error(
        `${target.label}: ${tally.failed} of ${n} ${what} requests failed (first: ${tally.firstError})`,
      );
  };
  await send(warmup, 'warm-up');
  zeroCounters(server.pid);
  await send(requests, 'counted');
  const counts = await dumpCounters(dir, server.pid, 1);
  await server.stop();
  return counts;
}

try {
  const results = await Promise.all(targets.map(count));
  const [bare] = results as [ThreadCounts, ...ThreadCounts[]];
  const per = (n: number) => `${(n / requests / 1000).toFixed(1)}k`;
  const ratio = (n: number, base: number) => `${(n / base).toFixed(3)}×`;
  console.log('\ntarget                 main thread / req     all threads / req     threads');
  targets.forEach((t, i) => {
    const r = results[i] as ThreadCounts;
    const main = i === 0 ? per(r.main) : `${per(r.main)} (${ratio(r.main, bare.main)})`;
    const all = i === 0 ? per(r.all) : `${per(r.all)} (${ratio(r.all, bare.all)})`;
    console.log(`${t.label.padEnd(22)} ${main.padEnd(21)} ${all.padEnd(21)} ${r.threads}`);
  });
  console.log(
    `\nmain thread: where Node runs JavaScript and the event loop; all threads adds V8's compiler and GC ` +
      `helpers, whose count depends on when background compiles land in the counted window. ` +
      `Wall time ${((Date.now() - begun) / 1000).toFixed(0)} s.`,
  );
} catch (err) {
  failed = true;
  console.error(`bench:instructions: ${(err as Error).message}`);
} finally {
  await Promise.all(started.map((s) => s.stop()));
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
