// Host processes for `run` actions: each in its own process group, so a timeout or an interrupt
// kills the whole tree (kind starts docker, helm starts plugins), first with SIGTERM, then SIGKILL.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import type { RunResult } from '../registry.ts';

export interface SpawnOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Aborting kills the process group. */
  signal: AbortSignal;
  /** Where stdout goes: a file path (created with its folder), or the log. */
  stdoutFile?: string;
  input?: string;
  /** Every line of output (stdout unless it goes to a file, and stderr). */
  onLine(line: string): void;
  /** Between SIGTERM and SIGKILL. */
  graceMs: number;
}

// stderr (and stdout that goes to a file) keep only their end, for error messages.
const TAIL = 8_000;

const groupAlive = (pid: number) => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

const killGroup = (pid: number, signal: NodeJS.Signals) => {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
};

/** Resolves when the process and every process left in its group are gone; never rejects on exit status. */
export function spawnTree(argv: readonly string[], o: SpawnOptions): Promise<RunResult> {
  const [command, ...args] = argv as [string, ...string[]];
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let fileStream: Writable | undefined;
    if (o.stdoutFile) {
      mkdirSync(dirname(o.stdoutFile), { recursive: true });
      fileStream = createWriteStream(o.stdoutFile);
    }
    const child = spawn(command, args, {
      cwd: o.cwd,
      env: o.env,
      detached: true,
      stdio: [o.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const lines = (collect: (s: string) => void) => {
      let partial = '';
      return (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        collect(text);
        const parts = (partial + text).split('\n');
        partial = parts.pop() ?? '';
        for (const line of parts) o.onLine(line);
      };
    };
    child.stdout?.on(
      'data',
      fileStream
        ? (chunk: Buffer) => {
            fileStream?.write(chunk);
            stdout = (stdout + chunk.toString('utf8')).slice(-TAIL);
          }
        : lines((t) => {
            stdout += t;
          }),
    );
    child.stderr?.on(
      'data',
      lines((t) => {
        stderr = (stderr + t).slice(-TAIL);
      }),
    );
    if (o.input !== undefined) child.stdin?.end(o.input);
    let killTimer: NodeJS.Timeout | undefined;
    // SIGTERM to the group now, SIGKILL to whatever is left after the grace period.
    const terminate = () => {
      const pid = child.pid;
      if (pid === undefined || !groupAlive(pid)) return;
      killGroup(pid, 'SIGTERM');
      killTimer ??= setTimeout(() => killGroup(pid, 'SIGKILL'), o.graceMs);
    };
    if (o.signal.aborted) terminate();
    else o.signal.addEventListener('abort', terminate, { once: true });
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let settled = false;
    const finish = (result: RunResult) => {
      if (settled) return;
      settled = true;
      o.signal.removeEventListener('abort', terminate);
      if (killTimer && (child.pid === undefined || !groupAlive(child.pid))) clearTimeout(killTimer);
      if (fileStream) fileStream.end(() => resolve(result));
      else resolve(result);
    };
    // The leader is gone: whatever it left in its group goes too (this also releases pipes a
    // background grandchild still holds, so 'close' can follow).
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      terminate();
    });
    child.on('close', () =>
      finish({ code: exit?.code ?? null, signal: exit?.signal ?? null, stdout, stderr }),
    );
    child.on('error', (error) => {
      if (child.pid !== undefined) return; // errors after a successful spawn end in 'close'
      const code = (error as NodeJS.ErrnoException).code;
      finish({
        code: null,
        signal: null,
        stdout,
        stderr: code === 'ENOENT' ? `${command}: not found on PATH` : error.message,
      });
    });
  });
}
