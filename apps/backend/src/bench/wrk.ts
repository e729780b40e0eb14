// Runs wrk (a C load generator, outside Node and outside the servers' processes) and reads its
// summary. Output format: wrk 4.x's console report with --latency.
import { spawn, spawnSync } from 'node:child_process';

export type WrkResult = {
  requests: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses outside 2xx/3xx. */
  non2xx: number;
  /** Connect, read, write and timeout errors (wrk's timeout is 2 s per request). */
  socketErrors: number;
  /** Both of the above. */
  errors: number;
};

export type WrkRun = {
  url: URL;
  seconds: number;
  connections: number;
  /** CPU to pin wrk to with taskset; undefined leaves it to the scheduler. */
  cpu: number | undefined;
};

/** wrk's version line, or undefined when wrk is not on PATH. */
export function wrkVersion(): string | undefined {
  // wrk -v prints its banner and exits 1; a missing binary leaves an ENOENT error instead.
  const r = spawnSync('wrk', ['-v'], { encoding: 'utf8' });
  if (r.error) return undefined;
  return /wrk\s+(\S+)/.exec(`${r.stdout}${r.stderr}`)?.[1] ?? 'unknown version';
}

const MS_PER_UNIT: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function durationMs(text: string | undefined): number {
  const m = /^([\d.]+)(us|ms|s|m|h)$/.exec(text ?? '');
  return m ? Number(m[1]) * (MS_PER_UNIT[m[2] as string] as number) : Number.NaN;
}

export function parseWrkOutput(text: string): WrkResult {
  const total = /(\d+) requests in ([\d.]+(?:us|ms|s|m|h)),/.exec(text);
  if (!total) throw new Error(`wrk printed no request total:\n${text.slice(0, 2000)}`);
  const requests = Number(total[1]);
  const seconds = durationMs(total[2]) / 1000;
  const percentile = (p: string) => durationMs(new RegExp(`^\\s+${p}%\\s+(\\S+)$`, 'm').exec(text)?.[1]);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return {
    requests,
    seconds,
    rps: requests / seconds,
    p50Ms: percentile('50'),
    p99Ms: percentile('99'),
    non2xx,
    socketErrors,
    errors: non2xx + socketErrors,
  };
}

/** One wrk run: one thread, keep-alive connections, fixed duration; wrk stops by itself. */
export function runWrk(run: WrkRun): Promise<WrkResult> {
  const args = ['-t1', `-c${run.connections}`, `-d${run.seconds}s`, '--latency', run.url.href];
  const [command, argv] =
    run.cpu === undefined ? ['wrk', args] : ['taskset', ['-c', String(run.cpu), 'wrk', ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) reject(new Error(`${command} ${argv.join(' ')} exited with ${code}:\n${out}`));
      else {
        try {
          resolve(parseWrkOutput(out));
        } catch (err) {
          reject(err);
        }
      }
    });
  });
}
