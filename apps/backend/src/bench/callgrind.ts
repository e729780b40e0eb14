// Instruction counts of a running server from valgrind's callgrind: counters zeroed after a warm-up
// and dumped after the measured requests, one dump file per thread. A count does not depend on how
// busy the machine is, which the CPU-time figures do.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** valgrind's version when both valgrind and callgrind_control are on PATH. */
export function callgrindVersion(): string | undefined {
  const v = spawnSync('valgrind', ['--version'], { encoding: 'utf8' });
  const c = spawnSync('callgrind_control', ['--version'], { encoding: 'utf8' });
  if (v.status !== 0 || c.error !== undefined) return undefined;
  return v.stdout.trim();
}

/**
 * The wrapper that runs Node under callgrind, writing to `dir`. Thread dumps are separate so the
 * main (JavaScript) thread can be told from V8's compiler and GC helpers; `--smc-check` because V8
 * writes and rewrites machine code on the heap.
 */
export function callgrindWrapper(dir: string): string[] {
  return [
    'valgrind',
    '--tool=callgrind',
    '--separate-threads=yes',
    '--smc-check=all-non-file',
    `--callgrind-out-file=${join(dir, 'callgrind.out.%p')}`,
    `--log-file=${join(dir, 'valgrind.%p.log')}`,
  ];
}

function control(flag: '-z' | '-d', pid: number): void {
  const r = spawnSync('callgrind_control', [flag, String(pid)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`callgrind_control ${flag} ${pid} failed: ${r.stderr || r.stdout}`);
}

/** Sets every thread's counters of the process to zero. */
export const zeroCounters = (pid: number): void => control('-z', pid);

/** The `summary:` line of a callgrind dump: the instructions (Ir) it counted. */
export function parseSummary(text: string): number {
  const m = /^summary:\s+(\d+)\s*$/m.exec(text);
  if (!m) throw new Error('callgrind dump without a summary line');
  return Number(m[1]);
}

export type ThreadCounts = { main: number; all: number; threads: number };

/**
 * Instructions per thread of dump `part` (callgrind.out.<pid>.<part>-<thread>): thread 01 is the main
 * thread, where Node runs JavaScript and the event loop.
 */
export function readDump(dir: string, pid: number, part: number): ThreadCounts {
  const prefix = `callgrind.out.${pid}.${part}-`;
  const files = readdirSync(dir).filter((f) => f.startsWith(prefix));
  if (files.length === 0) throw new Error(`no callgrind dump ${prefix}* in ${dir}`);
  let main = Number.NaN;
  let all = 0;
  for (const f of files) {
    const n = parseSummary(readFileSync(join(dir, f), 'utf8'));
    all += n;
    if (f === `${prefix}01`) main = n;
  }
  if (Number.isNaN(main)) throw new Error(`no main-thread dump ${prefix}01 in ${dir}`);
  return { main, all, threads: files.length };
}

/** Dumps the counters and waits (up to `waitMs`) until every thread's file of that dump is written. */
export async function dumpCounters(
  dir: string,
  pid: number,
  part: number,
  waitMs = 120_000,
): Promise<ThreadCounts> {
  control('-d', pid);
  const prefix = `callgrind.out.${pid}.${part}-`;
  const end = Date.now() + waitMs;
  let last = '';
  for (;;) {
    const files = readdirSync(dir).filter((f) => f.startsWith(prefix));
    // Written when every file ends with its totals line and the sizes held still since the last look.
    const sizes = files.map((f) => `${f}:${statSync(join(dir, f)).size}`).join(',');
    const complete =
      files.length > 0 && files.every((f) => /^totals:/m.test(readFileSync(join(dir, f), 'utf8')));
    if (complete && sizes === last) return readDump(dir, pid, part);
    if (Date.now() > end) throw new Error(`callgrind dump ${prefix}* not complete within ${waitMs / 1000} s`);
    last = sizes;
    await new Promise((r) => setTimeout(r, 500));
  }
}
