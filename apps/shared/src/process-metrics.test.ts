import assert from 'node:assert/strict';
import { createHistogram } from 'node:perf_hooks';
import { test } from 'node:test';
import { createRegistry } from './metrics.ts';
import { registerProcessMetrics } from './process-metrics.ts';

const gauge = (text: string, name: string): number => {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  assert.ok(line, `no ${name} sample in\n${text}`);
  return Number(line.slice(name.length + 1));
};

test('the event-loop gauge reports the 99th percentile in seconds, then starts afresh', () => {
  const delays = createHistogram();
  // Delays of 1 ms … 100 ms, one each: the 99th percentile is 99 ms (p50 would be 50, p90 90, max 100).
  for (let ms = 1; ms <= 100; ms++) delays.record(ms * 1e6);
  const registry = createRegistry();
  registerProcessMetrics(registry, delays);
  const p99 = gauge(registry.render(), 'nodejs_eventloop_lag_p99_seconds');
  assert.ok(Math.abs(p99 - 0.099) < 0.0005, `p99 ${p99}`);
  // Each scrape covers the time since the previous one: nothing recorded since, so 0.
  assert.equal(gauge(registry.render(), 'nodejs_eventloop_lag_p99_seconds'), 0);
});

test('process metrics carry the prom-client names and plausible values', () => {
  const registry = createRegistry();
  registerProcessMetrics(registry);
  const text = registry.render();
  assert.ok(gauge(text, 'process_resident_memory_bytes') > 1e6);
  assert.ok(gauge(text, 'nodejs_heap_size_used_bytes') <= gauge(text, 'nodejs_heap_size_total_bytes'));
  const cpu = gauge(text, 'process_cpu_seconds_total');
  assert.ok(cpu >= gauge(text, 'process_cpu_user_seconds_total'));
  const started = gauge(text, 'process_start_time_seconds');
  assert.ok(Math.abs(started - (Date.now() / 1000 - process.uptime())) <= 1);
});
