// Process and runtime metrics with the names prom-client uses, so existing dashboards work.
import { readdirSync } from 'node:fs';
import { type Histogram, monitorEventLoopDelay } from 'node:perf_hooks';
import type { Registry } from './metrics.ts';

/** What the event-loop gauge reads: a histogram of delays in nanoseconds, reset after each scrape. */
export type LoopDelays = Pick<Histogram, 'percentile' | 'reset'>;

function monitorLoop(): LoopDelays {
  const loop = monitorEventLoopDelay({ resolution: 20 });
  loop.enable();
  return loop;
}

// `loop` is a parameter so a test can feed a histogram of known delays (perf_hooks' createHistogram).
export function registerProcessMetrics(registry: Registry, loop: LoopDelays = monitorLoop()): void {
  const startSeconds = Math.round(Date.now() / 1000 - process.uptime());

  registry.collect('process_cpu_user_seconds_total', 'User CPU time spent in seconds.', 'counter', () => {
    return process.cpuUsage().user / 1e6;
  });
  registry.collect('process_cpu_system_seconds_total', 'System CPU time spent in seconds.', 'counter', () => {
    return process.cpuUsage().system / 1e6;
  });
  registry.collect(
    'process_cpu_seconds_total',
    'Total user and system CPU time in seconds.',
    'counter',
    () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1e6;
    },
  );
  registry.collect('process_resident_memory_bytes', 'Resident memory size in bytes.', 'gauge', () => {
    return process.memoryUsage.rss();
  });
  registry.collect(
    'process_start_time_seconds',
    'Start time of the process since the epoch.',
    'gauge',
    () => {
      return startSeconds;
    },
  );
  registry.collect('process_open_fds', 'Number of open file descriptors.', 'gauge', () => {
    try {
      return readdirSync('/proc/self/fd').length;
    } catch {
      return Number.NaN; // not Linux: report "unknown" rather than a made-up number
    }
  });
  registry.collect('nodejs_heap_size_used_bytes', 'V8 heap used in bytes.', 'gauge', () => {
    return process.memoryUsage().heapUsed;
  });
  registry.collect('nodejs_heap_size_total_bytes', 'V8 heap allocated in bytes.', 'gauge', () => {
    return process.memoryUsage().heapTotal;
  });
  registry.collect('nodejs_eventloop_lag_p99_seconds', 'Event loop delay, 99th percentile.', 'gauge', () => {
    const p99 = loop.percentile(99) / 1e9;
    loop.reset(); // each scrape reports the delay since the previous one
    return p99;
  });
}
