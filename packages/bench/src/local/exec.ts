// Small process helpers for the local benchmark: run a tool to completion, find a free loopback
// port, wait until a port accepts connections.
import { execFile } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Runs a program; on failure the error names the program and carries its stderr. */
export async function run(file: string, args: string[], cwd?: string): Promise<string> {
  try {
    const { stdout, stderr } = await execFileAsync(file, args, { cwd, maxBuffer: 4 * 1024 * 1024 });
    return `${stdout}${stderr}`;
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new ToolMissingError(file);
    throw new Error(`${file} ${args.slice(0, 3).join(' ')} failed: ${(e.stderr ?? e.message).trim()}`);
  }
}

/** A program the local benchmark needs is not installed; the message says how to get it. */
export class ToolMissingError extends Error {
  readonly tool: string;
  constructor(tool: string) {
    super(`${tool} is not installed (on Debian/Ubuntu: apt-get install ${tool})`);
    this.tool = tool;
  }
}

/** A port the kernel just handed out on 127.0.0.1; callers that pass it on retry on a bind race. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once 127.0.0.1:port accepts a TCP connection; rejects after timeoutMs or if gone() says so. */
export async function waitForPort(
  port: number,
  timeoutMs: number,
  gone: () => string | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const why = gone();
    if (why) throw new Error(why);
    if (await canConnect(port)) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
