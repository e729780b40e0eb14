// CPU and memory of local processes from /proc (Linux), sampled while a run is under way: the
// local stand-in for the data-plane cost that metrics-server reports in a cluster.
import { readFileSync } from 'node:fs';

/** utime + stime of a process in seconds, or undefined once it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks; USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

export function rssBytes(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export type ProcSample = { time: string; name: string; cpuMillicores: number; memoryBytes: number };

/** Samples each named process every intervalMs; stop() returns the samples (CPU averaged per interval). */
export function sampleProcesses(procs: Array<{ name: string; pid: number }>, intervalMs: number) {
  const samples: ProcSample[] = [];
  let last = procs.map((p) => ({ ...p, cpu: cpuSeconds(p.pid), at: performance.now() }));
  const timer = setInterval(() => {
    const now = performance.now();
    const time = new Date().toISOString();
    last = last.map((p) => {
      const cpu = cpuSeconds(p.pid);
      const memory = rssBytes(p.pid);
      if (cpu !== undefined && p.cpu !== undefined && memory !== undefined)
        samples.push({
          time,
          name: p.name,
          cpuMillicores: ((cpu - p.cpu) * 1e6) / (now - p.at),
          memoryBytes: memory,
        });
      return { ...p, cpu, at: now };
    });
  }, intervalMs);
  return {
    stop(): ProcSample[] {
      clearInterval(timer);
      return samples;
    },
  };
}
