// The bench's server processes: started (pinned to a CPU when asked), their port read from the
// "listening" line they print, stopped with SIGTERM. Only ever reached on 127.0.0.1.
import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ServerProcess = {
  name: string;
  pid: number;
  port: number;
  /** SIGTERM; resolves once the process has exited (SIGKILL after 5 s). */
  stop(): Promise<void>;
};

/**
 * Where a server runs: pinned to a CPU (taskset) and under SCHED_BATCH (chrt), each when possible;
 * `wrapper` runs Node under another program that keeps its pid (valgrind), and `startMs` bounds the
 * wait for its listening line (20 s by default).
 */
export type Placement = { cpu: number | undefined; batch: boolean; wrapper?: string[]; startMs?: number };

export function startServerProcess(
  name: string,
  script: string,
  env: Record<string, string>,
  placement: Placement,
): Promise<ServerProcess> {
  // taskset and chrt exec the next program in place, so the pid we read CPU time from is node's own.
  const argv = [
    ...(placement.cpu === undefined ? [] : ['taskset', '-c', String(placement.cpu)]),
    ...(placement.batch ? ['chrt', '--batch', '0'] : []),
    ...(placement.wrapper ?? []),
    process.execPath,
    script,
  ];
  const startMs = placement.startMs ?? 20_000;
  const [command, ...args] = argv as [string, ...string[]];
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${name} did not print its listening port within ${startMs / 1000} s`));
    }, startMs);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /"event":"listening","port":(\d+)/.exec(out);
      if (m && child.pid !== undefined) {
        clearTimeout(timer);
        child.stdout.removeAllListeners('data');
        child.stdout.resume(); // keep draining so a chatty server never blocks on a full pipe
        resolve({ name, pid: child.pid, port: Number(m[1]), stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before listening:\n${out.slice(0, 1000)}`));
    });
  });
}

export type TraceSink = { endpoint: string; posts(): number; bytes(): number; close(): Promise<void> };

/** An OTLP/HTTP endpoint that accepts and counts span batches without parsing them. */
export async function startTraceSink(): Promise<TraceSink> {
  let posts = 0;
  let bytes = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.on('data', (c: Buffer) => (bytes += c.length));
    req.on('end', () => {
      posts++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posts: () => posts,
    bytes: () => bytes,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
