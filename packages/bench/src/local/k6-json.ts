// Writes an open-loop run in the line format of `k6 run --out json=FILE` (k6 docs, "Results
// output / JSON"): a `Metric` line declaring each metric before its first `Point`, then one
// `Point` per sample with `time`, `value` (ms for time metrics) and `tags`. Emitted metrics:
// http_req_duration (trend), http_req_failed (rate, 1 = failed) and dropped_iterations (counter),
// so the k6 parser and analysis read these files like in-cluster ones.
// Difference from k6, stated in results.json too: http_req_duration here runs from the intended
// send time (coordinated-omission corrected), where k6 starts it when the request is written.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { OpenLoopResult } from './open-loop.ts';

const METRICS = {
  http_req_duration: { type: 'trend', contains: 'time' },
  http_req_failed: { type: 'rate', contains: 'default' },
  dropped_iterations: { type: 'counter', contains: 'default' },
} as const;
type MetricName = keyof typeof METRICS;

/** RFC 3339 with microseconds, the precision the clock gives (k6 prints nanoseconds). */
export function rfc3339(epochMs: number): string {
  const whole = Math.floor(epochMs);
  const micros = Math.round((epochMs - whole) * 1000);
  const base = new Date(whole).toISOString(); // …:ss.mmmZ
  return `${base.slice(0, -1)}${String(Math.min(999, micros)).padStart(3, '0')}Z`;
}

export async function writeK6Json(
  file: string,
  run: OpenLoopResult,
  scenario: string,
  url: string,
): Promise<void> {
  const out = createWriteStream(file);
  const declared = new Set<MetricName>();
  let chunk = '';
  const line = async (metric: MetricName, time: number, value: number, tags: Record<string, string>) => {
    if (!declared.has(metric)) {
      declared.add(metric);
      chunk += `${JSON.stringify({
        type: 'Metric',
        data: { name: metric, ...METRICS[metric], thresholds: [], submetrics: null },
        metric,
      })}\n`;
    }
    chunk += `${JSON.stringify({ type: 'Point', data: { time: rfc3339(time), value, tags }, metric })}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  };
  const interval = 1000 / run.rate;
  for (let k = 0; k < run.scheduled; k++) {
    const time = run.startEpochMs + k * interval;
    if (run.dropped[k]) {
      await line('dropped_iterations', time, 1, { scenario });
      continue;
    }
    const status = run.status[k] as number;
    const ok = status >= 200 && status < 400;
    const tags = {
      expected_response: String(ok),
      method: 'GET',
      name: url,
      proto: 'HTTP/1.1',
      scenario,
      status: String(status),
      url,
    };
    const latency = run.latencyMs[k] as number;
    if (!Number.isNaN(latency)) await line('http_req_duration', time, round(latency), tags);
    await line('http_req_failed', time, ok ? 0 : 1, tags);
  }
  out.end(chunk);
  await once(out, 'finish');
}

/** Nanosecond precision is what k6 prints; the clock here is good to about a microsecond. */
const round = (ms: number) => Math.round(ms * 1e6) / 1e6;
