// How the source module runs host programs. Inside the runner a task passes the engine's ctx.exec
// (own process group, killed with the step); tests and scripts use hostExec. Either way a non-zero
// exit is turned into an Error that names the command and quotes what it printed.
import { spawn } from 'node:child_process';
import type { RunResult } from '../registry.ts';
import type { HostTool } from '../step.ts';

export type Exec = (argv: [HostTool, ...string[]], options?: { input?: string }) => Promise<RunResult>;

/**
 * Runs argv with this process's environment plus `env` (a key set to undefined is removed); resolves
 * with its exit status, never rejects on a non-zero exit. `signal` kills the program.
 */
export function hostExec(
  options: { cwd?: string; env?: NodeJS.ProcessEnv; signal?: AbortSignal } = {},
): Exec {
  return ([cmd, ...args], { input } = {}) =>
    new Promise((resolve, reject) => {
      const child = spawn(cmd, args, {
        cwd: options.cwd,
        env: { ...process.env, ...options.env },
        stdio: ['pipe', 'pipe', 'pipe'],
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.stderr.on('data', (c: Buffer) => err.push(c));
      child.on('error', (e: NodeJS.ErrnoException) => {
        if (e.name === 'AbortError') return; // 'close' reports the signal
        reject(new Error(e.code === 'ENOENT' ? `${cmd} is not on PATH` : `${cmd}: ${e.message}`));
      });
      child.on('close', (code, signal) =>
        resolve({
          code,
          signal,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        }),
      );
      child.stdin.on('error', () => {}); // the exit status says what went wrong
      child.stdin.end(input ?? '');
    });
}

/** Runs argv and returns its standard output (trimmed unless `raw`); a non-zero exit throws with the command and its stderr. */
export async function output(
  exec: Exec,
  argv: [HostTool, ...string[]],
  input?: string,
  raw = false,
): Promise<string> {
  const r = await exec(argv, input === undefined ? {} : { input });
  if (r.code !== 0) {
    const said = (r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n  ');
    throw new Error(
      `${argv.join(' ')} failed (${r.signal ? `signal ${r.signal}` : `exit ${r.code}`})${said ? `:\n  ${said}` : ''}`,
    );
  }
  return raw ? r.stdout : r.stdout.trim();
}
