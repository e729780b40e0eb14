// Closed-loop keep-alive HTTP load: `connections` clients each send their next request as soon
// as the previous response ends, for a fixed time. Latencies are kept in a preallocated array.
import { Agent, request } from 'node:http';

export type LoadResult = {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
};

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

export async function closedLoop(url: URL, connections: number, seconds: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies = new Float64Array(5_000_000);
  let count = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;

  const one = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = request(url, { agent }, (res) => {
        res.on('data', () => {});
        res.on('end', () => {
          if (res.statusCode === 200 && count < latencies.length) latencies[count++] = performance.now() - t0;
          else errors++;
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end();
    });

  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) await one();
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  const sorted = latencies.slice(0, count).sort();
  return {
    requests: count,
    errors,
    seconds: elapsed,
    rps: count / elapsed,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
  };
}
