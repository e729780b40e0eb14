// What the bench needs to know about this Linux machine: a process's CPU time, the CPUs it may
// pin to, and whether other work was competing. Everything reads /proc; elsewhere it degrades to
// "unknown" (NaN, no pinning) rather than guessing.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg, cpus as machineCpus } from 'node:os';

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on most kernels). */
function clockTicks(): number {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number(r.stdout?.trim());
  return Number.isInteger(n) && n > 0 ? n : 100;
}
const ticksPerSecond = clockTicks();

/**
 * CPU seconds of a process, all its threads (GC and I/O threads included): from each thread's
 * schedstat (nanoseconds of run time) when the kernel has it, else from /proc/<pid>/stat, which
 * counts in clock ticks (10 ms: 1 % of a one-second window at full load).
 */
export function cpuSecondsOf(pid: number): number {
  const precise = schedstatSecondsOf(pid);
  return Number.isNaN(precise) ? statCpuSecondsOf(pid) : precise;
}

// /proc/<pid>/task/<tid>/schedstat: "<ns on CPU> <ns waiting> <timeslices>" (Documentation/
// scheduler/sched-stats.rst in the kernel tree). Threads of a server live as long as it does.
function schedstatSecondsOf(pid: number): number {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return Number.NaN;
  }
  let ns = 0;
  for (const tid of tids) {
    const first = readOr(`/proc/${pid}/task/${tid}/schedstat`, '').split(' ')[0];
    if (first === undefined || !/^\d+$/.test(first)) return Number.NaN;
    ns += Number(first);
  }
  return tids.length === 0 ? Number.NaN : ns / 1e9;
}

/** User + system CPU seconds of a process from /proc/<pid>/stat, in whole clock ticks. */
export function statCpuSecondsOf(pid: number): number {
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis don't.
  const stat = readOr(`/proc/${pid}/stat`, '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** A kernel CPU list ("0-3,6") as numbers. */
export function parseCpuList(text: string): number[] {
  const cpus: number[] = [];
  for (const part of text.trim().split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) continue;
    for (let c = Number(m[1]); c <= Number(m[2] ?? m[1]); c++) cpus.push(c);
  }
  return cpus;
}

export type Pinning = { server: number; generator: number } | { reason: string };

/** Server on the first CPU this process may use, the generator on the second: when both exist. */
export function choosePinning(): Pinning {
  const list = /^Cpus_allowed_list:\s*(\S+)/m.exec(readOr('/proc/self/status', ''))?.[1];
  if (list === undefined) return { reason: 'no /proc/self/status (not Linux)' };
  const cpus = parseCpuList(list);
  if (cpus.length < 2) return { reason: `only CPU ${list} is available` };
  if (spawnSync('taskset', ['-V']).error) return { reason: 'taskset is not installed (util-linux)' };
  return { server: cpus[0] as number, generator: cpus[1] as number };
}

/**
 * Whether servers can run under SCHED_BATCH. Two saturated servers sharing a CPU otherwise preempt
 * each other whenever a request wakes the one not running (CFS/EEVDF wake-up preemption, which
 * batch tasks do not trigger): switches whose cost is the scheduler's, not the servers'. Under batch they take turns in whole time slices (torvalds/linux
 * kernel/sched/fair.c, the wake-up preemption check: a waking task that is not SCHED_NORMAL does
 * not preempt; its turn comes with the tick). Measured here: a shared server's CPU per request
 * fell by 10–40 % under batch, to near its figure when alone on the CPU.
 */
export function batchPolicyAvailable(): boolean {
  return !spawnSync('chrt', ['--batch', '0', 'true']).error;
}

/** Moves an already running process (this one) onto one CPU. */
export function pinProcess(pid: number, cpu: number): void {
  spawnSync('taskset', ['-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
}

export type LoadState = { load1: number; load5: number; cpus: number };

export function loadState(): LoadState {
  const [load1 = 0, load5 = 0] = loadavg();
  // All of the machine's CPUs, not this process's affinity (the bench pins itself).
  return { load1, load5, cpus: machineCpus().length };
}

/**
 * Whether the kernel groups processes per session for scheduling (autogroup): then another
 * session's `nice` does not lower its share against ours, and a busy machine starves the server.
 */
export function autogroupEnabled(): boolean {
  return readOr('/proc/sys/kernel/sched_autogroup_enabled', '0').trim() === '1';
}
