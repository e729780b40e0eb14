// Runs fanout-sampler.ts inside a container (a pod through `kubectl exec`, or a local container
// through `docker exec`) and reads back what it printed as observer samples.
import { readFileSync } from 'node:fs';
import { fromFanout, parseFanout, type Sample } from './samples.ts';

/** The frontend image's node (apps/images/Dockerfile: same path on distroless and the local base). */
export const IMAGE_NODE = '/nodejs/bin/node';
export const STOP_FILE = '/tmp/meshproof-sampler.stop';

export interface SamplerConfig {
  /** The frontend's fanout endpoint as seen from inside its container, e.g. http://127.0.0.1:8080/api/fanout. */
  url: string;
  calls: number;
  periodMs: number;
  /** Upper bound on the sampler's life when nobody stops it. */
  maxMs: number;
}

const source = () => readFileSync(new URL('./fanout-sampler.ts', import.meta.url), 'utf8');

/** The command to run in the container: node with the sampler's source, then its arguments. */
export const samplerCommand = (c: SamplerConfig): string[] => [
  IMAGE_NODE,
  '--input-type=module-typescript',
  '-e',
  source(),
  c.url,
  String(c.calls),
  String(c.periodMs),
  STOP_FILE,
  String(c.maxMs),
];

/** Creates the stop file; the sampler finishes its current request and exits. */
export const stopCommand = (): string[] => [
  IMAGE_NODE,
  '-e',
  `require('node:fs').writeFileSync(${JSON.stringify(STOP_FILE)}, '')`,
];

/** Removes a stop file a previous run left behind (a no-op when there is none). */
export const resetCommand = (): string[] => [
  IMAGE_NODE,
  '-e',
  `require('node:fs').rmSync(${JSON.stringify(STOP_FILE)}, { force: true })`,
];

const MAX_EXEC_LATENCY_MS = 5000;

export interface SamplerOutput {
  samples: Sample[];
  /** Fanout requests that got no usable answer (frontend down, exec trouble): the client's own failures. */
  failures: { t: number; error: string }[];
  answers: number;
  /** Added to the container's timestamps to put them on the runner's clock. */
  offsetMs: number;
}

/**
 * Parses the sampler's lines. `startedAt` is the runner's clock just before it started the exec: the
 * sampler's own start time minus that is the clock offset (plus the exec's start-up latency, which the
 * observer's settle time absorbs), and every sample time is moved by it.
 */
export function readSamplerOutput(stdout: string, startedAt: number): SamplerOutput {
  const out: SamplerOutput = { samples: [], failures: [], answers: 0, offsetMs: 0 };
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  for (const [i, text] of lines.entries()) {
    let o: { start?: number; t?: number; status?: number; body?: string; error?: string };
    try {
      o = JSON.parse(text);
    } catch {
      throw new Error(`sampler output line ${i + 1} is not JSON: ${text.slice(0, 120)}`);
    }
    if (typeof o.start === 'number') {
      // Started "before" the runner asked: the container's clock is behind, by at least that much.
      // Started later: exec latency explains up to a few seconds; beyond that the clock is ahead.
      const lead = o.start - startedAt;
      out.offsetMs = lead < 0 || lead > MAX_EXEC_LATENCY_MS ? -lead : 0;
      continue;
    }
    if (typeof o.t !== 'number') continue; // the closing line
    const t = o.t + out.offsetMs;
    if (o.error !== undefined) {
      out.failures.push({ t, error: o.error });
      continue;
    }
    const body = parseFanout(o.body ?? '');
    if (typeof body === 'string') {
      out.failures.push({ t, error: `HTTP ${o.status}: ${body}` });
      continue;
    }
    out.answers++;
    out.samples.push(...fromFanout(t, body));
  }
  return out;
}
