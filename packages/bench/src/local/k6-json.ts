// Writes an open-loop run in the line format of `k6 run --out json=FILE`, with the line builders of
// ../k6/format.ts: http_req_duration (trend), http_req_failed (rate, 1 = failed) and
// dropped_iterations (counter) per iteration, the warm-up in k6's "warmup" scenario (kept, not
// analysed), so the k6 parser and analysis read these files like in-cluster ones.
// One difference from k6, stated in results.json as well: http_req_duration here runs from the
// intended send time (coordinated-omission corrected); k6 starts it when the request is written.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { httpTags, metricLine, pointLine } from '../k6/format.ts';
import { WARMUP_SCENARIO } from '../k6/parse.ts';
import type { OpenLoopResult, Phase } from './open-loop.ts';

/** RFC 3339 with microseconds, the precision of the clock (k6 prints nanoseconds). */
export function rfc3339(epochMs: number): string {
  const whole = Math.floor(epochMs);
  const micros = Math.min(999, Math.round((epochMs - whole) * 1000));
  return `${new Date(whole).toISOString().slice(0, -1)}${String(micros).padStart(3, '0')}Z`;
}

/** k6 prints nanoseconds; the clock here is good to about a microsecond. */
const round = (ms: number) => Math.round(ms * 1e6) / 1e6;

export async function writeK6Json(
  file: string,
  run: OpenLoopResult,
  scenario: string,
  url: string,
): Promise<void> {
  const out = createWriteStream(file);
  let chunk = [
    metricLine('http_req_duration', 'trend', 'time'),
    metricLine('http_req_failed', 'rate', 'default'),
    metricLine('dropped_iterations', 'counter', 'default'),
    '',
  ].join('\n');
  const flush = async (force = false) => {
    if (!force && chunk.length < 1 << 16) return;
    if (!out.write(chunk)) await once(out, 'drain');
    chunk = '';
  };
  const phase = async (p: Phase, name: string) => {
    const interval = 1000 / run.rate;
    for (let k = 0; k < p.latencyMs.length; k++) {
      const time = rfc3339(p.startEpochMs + k * interval);
      if (p.dropped[k]) {
        chunk += `${pointLine('dropped_iterations', time, 1, { scenario: name })}\n`;
        continue;
      }
      const status = p.status[k] as number;
      const tags = httpTags(url, name, status);
      const latency = p.latencyMs[k] as number;
      if (!Number.isNaN(latency)) chunk += `${pointLine('http_req_duration', time, round(latency), tags)}\n`;
      chunk += `${pointLine('http_req_failed', time, tags.expected_response === 'true' ? 0 : 1, tags)}\n`;
      await flush();
    }
  };
  await phase(run.warmup, WARMUP_SCENARIO);
  await phase(run, scenario);
  out.end(chunk);
  await once(out, 'finish');
}
