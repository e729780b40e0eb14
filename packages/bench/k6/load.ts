// meshproof's k6 load script (k6 ≥ 0.57 runs TypeScript directly; this file is type-checked against
// @types/k6 by k6/tsconfig.json). Open model: requests start at a constant arrival rate whatever the
// latency, so a slow response cannot hold back the next request (coordinated omission). A `warmup` scenario
// runs first at the same rate and is left out of the analysis by name; `measure` is what counts.
// Parameters (environment): TARGET_URL, RATE (req/s), DURATION_S, WARMUP_S, PAYLOAD_BYTES, SIDE (plain|mesh),
// MAX_VUS. Raw samples: `k6 run --out json …`; k6's thresholds below only fail the run loudly, the
// analysis decides validity from the raw samples (dropped_iterations, http_req_failed).
import { check } from 'k6';
import http from 'k6/http';
import type { Options } from 'k6/options';

const env = (name: string, fallback?: string): string => {
  const value = __ENV[name] ?? fallback;
  if (value === undefined || value === '') throw new Error(`environment variable ${name} is required`);
  return value;
};
const positive = (name: string, fallback: string): number => {
  const n = Number(env(name, fallback));
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number`);
  return n;
};

const rate = positive('RATE', '200');
const durationS = positive('DURATION_S', '60');
const warmupS = positive('WARMUP_S', '15');
const payloadBytes = Math.round(positive('PAYLOAD_BYTES', '1024'));
const side = env('SIDE', 'plain');
const url = `${env('TARGET_URL')}/api/echo?size=${payloadBytes}`;
// Enough VUs for the rate at a 50 ms latency; more only when responses slow down (then k6 adds them).
const preAllocatedVUs = Math.max(10, Math.ceil(rate * 0.05));
const maxVUs = Math.round(positive('MAX_VUS', String(Math.max(100, preAllocatedVUs * 10))));

const scenario = (startTime: string, duration: string) => ({
  executor: 'constant-arrival-rate' as const,
  rate,
  timeUnit: '1s',
  duration,
  startTime,
  preAllocatedVUs,
  maxVUs,
  tags: { side },
});

export const options: Options = {
  discardResponseBodies: true,
  scenarios: {
    warmup: scenario('0s', `${warmupS}s`),
    measure: scenario(`${warmupS}s`, `${durationS}s`),
  },
  summaryTrendStats: ['min', 'med', 'avg', 'p(90)', 'p(99)', 'p(99.9)', 'max', 'count'],
  thresholds: {
    'http_req_failed{scenario:measure}': ['rate==0'],
    dropped_iterations: ['count==0'],
  },
};

export default function (): void {
  const res = http.get(url, { tags: { name: 'echo' } });
  check(res, { 'status is 200': (r) => r.status === 200 });
}
