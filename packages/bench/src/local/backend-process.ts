// The demo backend as the benchmark's server: its real entry point (apps/backend/src/main.ts) run
// by this Node on a port chosen by the caller, so a restarted backend keeps the address the proxy
// pair forwards to.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { waitForPort } from './exec.ts';

export const BACKEND_MAIN = fileURLToPath(new URL('../../../../apps/backend/src/main.ts', import.meta.url));

export type Backend = { pid: number | undefined; port: number; stop(): Promise<void> };

export async function startBackend(port: number): Promise<Backend> {
  if (!existsSync(BACKEND_MAIN)) throw new Error(`the demo backend is missing: ${BACKEND_MAIN}`);
  const child: ChildProcess = spawn(process.execPath, [BACKEND_MAIN], {
    // No shutdown delay (there is no load balancer to drain from); no tracing export.
    env: { PATH: process.env.PATH, PORT: String(port), VERSION: 'bench', SHUTDOWN_DELAY_MS: '0' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let exit: string | undefined;
  child.stderr?.on('data', (c) => (stderr += c));
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = `the demo backend exited (${signal ?? code}): ${stderr.trim().slice(-500)}`;
      resolve();
    }),
  );
  const stop = async () => {
    if (exit === undefined) child.kill('SIGTERM');
    await exited;
  };
  try {
    await waitForPort(port, 15_000, () => exit);
  } catch (error) {
    await stop();
    throw error;
  }
  return { pid: child.pid, port, stop };
}
