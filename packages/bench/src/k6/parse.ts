// Reads the file `k6 run --out json=FILE` writes (optionally gzipped): one JSON object per line, either a
// metric declaration {"type":"Metric","data":{"name","type","contains",…},"metric"} or a sample
// {"metric","type":"Point","data":{"time","value","tags",["metadata"]}} (format: k6 docs "Results output /
// JSON" and the envelope structs of grafana/k6 internal/output/json/wrapper.go). Streams line by line and
// keeps only a histogram, so memory stays bounded whatever the run's length.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { type Histogram, newHistogram, recordMs } from '../stats/histogram.ts';

/** meshproof's k6 script warms up in a scenario of this name; its samples are counted, never analysed. */
export const WARMUP_SCENARIO = 'warmup';

export interface K6Run {
  file: string;
  /** http_req_duration of the measured scenario, in µs (see stats/histogram.ts). */
  histogram: Histogram;
  /** Requests measured (= histogram count). */
  count: number;
  /** Requests of the warm-up scenario, left out of the histogram. */
  warmupCount: number;
  /** The one scenario/method/name the measured samples belong to. */
  target: { scenario: string; method: string; name: string };
  /** Sum of dropped_iterations (k6 could not start an iteration on schedule: open model broken). */
  droppedIterations: number;
  /** http_req_failed samples with value 1 (any failed request, warm-up included). */
  failedRequests: number;
  firstSample?: string;
  lastSample?: string;
}

/** A file that is not a usable k6 JSON output: exit 2 material. */
export class K6FormatError extends Error {}

/** Why a run may not be used; empty when it is valid. */
export function invalidReasons(run: K6Run): string[] {
  const reasons: string[] = [];
  if (run.droppedIterations > 0)
    reasons.push(`${run.droppedIterations} dropped iterations (the load generator missed its schedule)`);
  if (run.failedRequests > 0) reasons.push(`${run.failedRequests} failed requests (http_req_failed)`);
  return reasons;
}

const WANTED = new Set(['http_req_duration', 'http_req_failed', 'dropped_iterations']);
const POINT_PREFIX = '{"metric":"';

interface Envelope {
  type?: unknown;
  metric?: unknown;
  data?: { type?: unknown; contains?: unknown; value?: unknown; time?: unknown; tags?: unknown };
}

/**
 * Calls onLine for every line of the file, synchronously from readline's 'line' event (an async iterator
 * over readline costs a promise per line, several times the parse itself). A throw stops the read.
 */
async function eachLine(file: string, onLine: (line: string) => void): Promise<void> {
  const handle = await open(file, 'r');
  const magic = Buffer.alloc(2);
  await handle.read(magic, 0, 2, 0);
  await handle.close();
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  // k6 gzips when the path ends in .gz; detect by content so a renamed file still reads.
  const input = magic[0] === 0x1f && magic[1] === 0x8b ? raw.pipe(createGunzip()) : raw;
  const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const stop = (error: unknown) => {
      if (failed) return;
      failed = true;
      rl.close();
      raw.destroy();
      reject(error);
    };
    rl.on('line', (line) => {
      if (failed) return;
      try {
        onLine(line);
      } catch (error) {
        stop(error);
      }
    });
    rl.on('close', () => {
      if (!failed) resolve();
    });
    raw.on('error', stop);
    input.on('error', (e: Error) => stop(new K6FormatError(`${file}: cannot decompress: ${e.message}`)));
  });
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Parses one k6 JSON output file. Throws K6FormatError naming the file and line for anything unusable. */
export async function parseK6Json(file: string): Promise<K6Run> {
  const histogram = newHistogram();
  const declared = new Map<string, string>();
  const targets = new Map<string, number>();
  let lineNo = 0;
  let sawAnyLine = false;
  let warmupCount = 0;
  let droppedIterations = 0;
  let failedRequests = 0;
  let target: K6Run['target'] | undefined;
  let firstSample: string | undefined;
  let lastSample: string | undefined;
  const fail = (why: string): never => {
    throw new K6FormatError(`${file}:${lineNo}: ${why}`);
  };
  await eachLine(file, (line) => {
    lineNo++;
    if (line.length === 0) return;
    sawAnyLine = true;
    // Fast path: a sample line of a metric we do not read is skipped after a cheap shape check.
    if (line.startsWith(POINT_PREFIX)) {
      const end = line.indexOf('"', POINT_PREFIX.length);
      const metric = line.slice(POINT_PREFIX.length, end);
      if (!WANTED.has(metric)) {
        if (!declared.has(metric)) fail(`sample of metric "${metric}" before its declaration`);
        if (!line.endsWith('}')) fail('truncated line');
        return;
      }
    }
    let entry: Envelope;
    try {
      entry = JSON.parse(line) as Envelope;
    } catch {
      return fail(
        lineNo === 1
          ? 'not k6 JSON output: the first line is not a JSON object (analyze reads `k6 run --out json=FILE`, not a summary export)'
          : 'not JSON (truncated or corrupt line)',
      );
    }
    const metric = str(entry?.metric);
    if (!entry || typeof entry !== 'object' || !metric || !entry.data || typeof entry.data !== 'object')
      fail('not a k6 JSON output line (expected {"type","metric","data"})');
    const data = entry.data as NonNullable<Envelope['data']>;
    if (entry.type === 'Metric') {
      // k6 declares each metric once per run; a second declaration means two runs were concatenated.
      if (declared.has(metric))
        fail(`metric "${metric}" declared twice: this file holds more than one k6 run`);
      declared.set(metric, `${str(data.type)}/${str(data.contains)}`);
      if (metric === 'http_req_duration' && declared.get(metric) !== 'trend/time')
        fail(`http_req_duration declared as ${declared.get(metric)}, expected trend/time`);
      return;
    }
    if (entry.type !== 'Point')
      fail(`unknown line type ${JSON.stringify(entry.type)} (expected Metric or Point)`);
    if (!declared.has(metric)) fail(`sample of metric "${metric}" before its declaration`);
    if (!WANTED.has(metric)) return;
    const value = data.value;
    if (typeof value !== 'number' || !Number.isFinite(value))
      fail(`sample of "${metric}" has no numeric value`);
    const tags = (data.tags ?? {}) as Record<string, unknown>;
    const scenario = str(tags.scenario);
    if (metric === 'dropped_iterations') droppedIterations += value as number;
    else if (metric === 'http_req_failed') failedRequests += value === 1 ? 1 : 0;
    else {
      if (scenario === WARMUP_SCENARIO) {
        warmupCount++;
        return;
      }
      if ((value as number) < 0) fail('negative http_req_duration');
      const t = { scenario, method: str(tags.method), name: str(tags.name) || str(tags.url) };
      const key = `${t.scenario}\u0000${t.method}\u0000${t.name}`;
      targets.set(key, (targets.get(key) ?? 0) + 1);
      target ??= t;
      recordMs(histogram, value as number);
      const time = str(data.time);
      firstSample ??= time;
      lastSample = time;
    }
  });
  if (!sawAnyLine) throw new K6FormatError(`${file}: empty file (no k6 output lines)`);
  if (!declared.has('http_req_duration'))
    throw new K6FormatError(`${file}: no http_req_duration metric: not the output of an HTTP k6 run`);
  if (targets.size > 1) {
    const list = [...targets]
      .map(([k, n]) => {
        const [scenario, method, name] = k.split('\u0000');
        return `scenario=${scenario || '(none)'} ${method} ${name} (${n})`;
      })
      .join('; ');
    throw new K6FormatError(
      `${file}: http_req_duration samples of ${targets.size} different scenarios/targets (${list}); ` +
        'one file must hold one measured target (warm-up in a scenario named "warmup" is left out)',
    );
  }
  if (histogram.totalCount === 0 || target === undefined)
    throw new K6FormatError(
      `${file}: no measured http_req_duration samples${warmupCount > 0 ? ` (only ${warmupCount} warm-up samples)` : ''}`,
    );
  return {
    file,
    histogram,
    count: histogram.totalCount,
    warmupCount,
    target,
    droppedIterations,
    failedRequests,
    firstSample,
    lastSample,
  };
}
