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

test('each process family is typed and described; CPU total is user plus system; fds are counted', () => {
  const registry = createRegistry();
  registerProcessMetrics(registry);
  const text = registry.render();
  const lines = text.split('\n');
  for (const [name, type] of [
    ['process_cpu_user_seconds_total', 'counter'],
    ['process_cpu_system_seconds_total', 'counter'],
    ['process_cpu_seconds_total', 'counter'],
    ['process_resident_memory_bytes', 'gauge'],
    ['process_start_time_seconds', 'gauge'],
    ['process_open_fds', 'gauge'],
    ['nodejs_heap_size_used_bytes', 'gauge'],
    ['nodejs_heap_size_total_bytes', 'gauge'],
    ['nodejs_eventloop_lag_p99_seconds', 'gauge'],
  ]) {
    assert.ok(lines.includes(`# TYPE ${name} ${type}`), `${name} ${type}`);
    const help = lines.find((l) => l.startsWith(`# HELP ${name} `));
    assert.ok(help && help.length > `# HELP ${name} `.length + 5, `${name} has help`);
  }
  // Read a moment apart, so only roughly equal; each is seconds, not microseconds.
  const user = gauge(text, 'process_cpu_user_seconds_total');
  const system = gauge(text, 'process_cpu_system_seconds_total');
  assert.ok(user > 0 && system >= 0 && user < process.uptime() * 4, `user ${user}`);
  assert.ok(Math.abs(gauge(text, 'process_cpu_seconds_total') - (user + system)) < 0.5);
  const fds = gauge(text, 'process_open_fds');
  assert.ok(Number.isInteger(fds) && fds >= 3, `fds ${fds}`);
});

test('the default event-loop monitor sees the loop blocked', async () => {
  const registry = createRegistry();
  registerProcessMetrics(registry);
  await new Promise((r) => setTimeout(r, 50));
  const end = performance.now() + 200;
  while (performance.now() < end) {
    // busy: the loop cannot turn for 200 ms
  }
  await new Promise((r) => setTimeout(r, 50));
  const p99 = gauge(registry.render(), 'nodejs_eventloop_lag_p99_seconds');
  assert.ok(p99 >= 0.1, `p99 ${p99}`);
});
