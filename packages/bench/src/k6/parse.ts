// Reads the file `k6 run --out json=FILE` writes (optionally gzipped): one JSON object per line, either a
// metric declaration {"type":"Metric","data":{"name","type","contains",…},"metric"} or a sample
// {"metric","type":"Point","data":{"time","value","tags",["metadata"]}} (format: k6 docs "Results output /
// JSON" and the envelope structs of grafana/k6 internal/output/json/wrapper.go). Streams line by line and
// keeps only a histogram, so memory stays bounded whatever the run's length.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
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
  /** Sum of dropped_iterations over the whole run (k6 could not start an iteration on schedule). */
  droppedIterations: number;
  /** The part of it during warm-up: reported, but warm-up exists to absorb start-up effects, so it does not invalidate. */
  warmupDroppedIterations: number;
  /** http_req_failed samples with value 1 over the whole run. */
  failedRequests: number;
  /** The part of it during warm-up (e.g. a sidecar not ready yet): reported, does not invalidate. */
  warmupFailedRequests: number;
  firstSample?: string;
  lastSample?: string;
}

/** A file that is not a usable k6 JSON output: exit 2 material. */
export class K6FormatError extends Error {}

/** Why a run may not be used; empty when it is valid. */
export function invalidReasons(run: K6Run): string[] {
  const reasons: string[] = [];
  // Only the measured scenario decides: warm-up is there to absorb start-up effects (a proxy not ready yet).
  const dropped = run.droppedIterations - run.warmupDroppedIterations;
  const failed = run.failedRequests - run.warmupFailedRequests;
  if (dropped > 0) reasons.push(`${dropped} dropped iterations (the load generator missed its schedule)`);
  if (failed > 0) reasons.push(`${failed} failed requests (http_req_failed)`);
  return reasons;
}

const WANTED = new Set(['http_req_duration', 'http_req_failed', 'dropped_iterations']);
const POINT_PREFIX = Buffer.from('{"metric":"');
const POINT_AFTER_NAME = '","type":"Point","data":{"time":"';
const NEWLINE = 0x0a;
const QUOTE = 0x22;
const CLOSE_BRACE = 0x7d;

interface Envelope {
  type?: unknown;
  metric?: unknown;
  data?: { type?: unknown; contains?: unknown; value?: unknown; time?: unknown; tags?: unknown };
}

type LineHandler = (buf: Buffer, start: number, end: number) => void;

/**
 * Streams the file (gunzipping it when it starts with the gzip magic: k6 gzips for a .gz path) and calls
 * onLine with each line's byte range. Splitting bytes instead of using readline lets a sample line of a metric
 * the analysis does not read be skipped without ever becoming a string: a k6 run writes about 13 lines per
 * request, of which 2 matter here, and readline alone cost more than the 5 s budget at a million requests.
 */
async function eachLine(file: string, onLine: LineHandler): Promise<void> {
  const handle = await open(file, 'r');
  const magic = Buffer.alloc(2);
  await handle.read(magic, 0, 2, 0);
  await handle.close();
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  const input = magic[0] === 0x1f && magic[1] === 0x8b ? raw.pipe(createGunzip()) : raw;
  let carry: Buffer | undefined;
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      let start = 0;
      if (carry) {
        const nl = chunk.indexOf(NEWLINE);
        if (nl === -1) {
          carry = Buffer.concat([carry, chunk]);
          continue;
        }
        const line = Buffer.concat([carry, chunk.subarray(0, nl)]);
        carry = undefined;
        onLine(line, 0, line.length);
        start = nl + 1;
      }
      for (let nl = chunk.indexOf(NEWLINE, start); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
        onLine(chunk, start, nl);
        start = nl + 1;
      }
      if (start < chunk.length) carry = Buffer.from(chunk.subarray(start));
    }
  } catch (error) {
    raw.destroy();
    if ((error as { code?: string }).code?.startsWith('Z_'))
      throw new K6FormatError(`${file}: cannot decompress: ${(error as Error).message}`);
    throw error;
  }
  if (carry) onLine(carry, 0, carry.length);
}

const WANTED_BYTES = [...WANTED].map((name) => [name, Buffer.from(name)] as const);

/** The wanted metric named by buf[start, end), compared byte-wise so other names never become strings. */
function wantedName(buf: Buffer, start: number, end: number): string | undefined {
  for (const [name, bytes] of WANTED_BYTES) {
    if (bytes.length !== end - start) continue;
    let i = 0;
    while (i < bytes.length && buf[start + i] === bytes[i]) i++;
    if (i === bytes.length) return name;
  }
  return undefined;
}

/** Byte-wise check for POINT_PREFIX at start (Buffer.compare's argument checks cost more than the compare). */
function hasPointPrefix(buf: Buffer, start: number, end: number): boolean {
  if (end - start <= POINT_PREFIX.length) return false;
  for (let i = 0; i < POINT_PREFIX.length; i++) if (buf[start + i] !== POINT_PREFIX[i]) return false;
  return true;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

interface FastPoint {
  time: string;
  value: number;
  tagsText: string;
}

/**
 * Reads a sample line laid out exactly as k6 writes it ({"metric","type":"Point","data":{"time","value",
 * "tags"[,"metadata"]}}) with string searches instead of JSON.parse; undefined for any other layout, which
 * then goes through JSON.parse.
 */
function fastPoint(line: string, nameEnd: number): FastPoint | undefined {
  if (!line.startsWith(POINT_AFTER_NAME, nameEnd)) return undefined;
  const timeStart = nameEnd + POINT_AFTER_NAME.length;
  const timeEnd = line.indexOf('"', timeStart);
  if (timeEnd === -1 || !line.startsWith(',"value":', timeEnd + 1)) return undefined;
  const valueStart = timeEnd + 10;
  const valueEnd = line.indexOf(',', valueStart);
  if (valueEnd === -1 || !line.startsWith('"tags":', valueEnd + 1) || !line.endsWith('}}')) return undefined;
  const tagsStart = valueEnd + 8;
  const meta = line.lastIndexOf('},"metadata":{');
  const tagsEnd = meta > tagsStart ? meta + 1 : line.length - 2;
  const value = Number(line.slice(valueStart, valueEnd));
  if (!Number.isFinite(value)) return undefined;
  return { time: line.slice(timeStart, timeEnd), value, tagsText: line.slice(tagsStart, tagsEnd) };
}

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
  let warmupDroppedIterations = 0;
  let warmupFailedRequests = 0;
  let target: K6Run['target'] | undefined;
  let firstSample: string | undefined;
  let lastSample: string | undefined;
  // Consecutive samples mostly carry the same tags: parse a tag set once, compare its text after that.
  let lastTagsText: string | undefined;
  let lastTags: Record<string, unknown> = {};
  const fail = (why: string): never => {
    throw new K6FormatError(`${file}:${lineNo}: ${why}`);
  };

  const sample = (metric: string, value: number, tags: Record<string, unknown>, time: string) => {
    const scenario = str(tags.scenario);
    const warmup = scenario === WARMUP_SCENARIO;
    if (metric === 'dropped_iterations') {
      droppedIterations += value;
      if (warmup) warmupDroppedIterations += value;
    } else if (metric === 'http_req_failed') {
      if (value !== 1) return;
      failedRequests++;
      if (warmup) warmupFailedRequests++;
    } else if (warmup) warmupCount++;
    else {
      if (value < 0) fail('negative http_req_duration');
      const t = { scenario, method: str(tags.method), name: str(tags.name) || str(tags.url) };
      const key = `${t.scenario}\u0000${t.method}\u0000${t.name}`;
      targets.set(key, (targets.get(key) ?? 0) + 1);
      target ??= t;
      recordMs(histogram, value);
      firstSample ??= time;
      lastSample = time;
    }
  };

  const slowLine = (line: string) => {
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
    if (typeof data.value !== 'number' || !Number.isFinite(data.value))
      fail(`sample of "${metric}" has no numeric value`);
    const tags = data.tags && typeof data.tags === 'object' ? (data.tags as Record<string, unknown>) : {};
    sample(metric, data.value as number, tags, str(data.time));
  };

  await eachLine(file, (buf, start, lineEnd) => {
    lineNo++;
    const end = lineEnd > start && buf[lineEnd - 1] === 0x0d ? lineEnd - 1 : lineEnd;
    if (end === start) return;
    sawAnyLine = true;
    const prefixEnd = start + POINT_PREFIX.length;
    if (hasPointPrefix(buf, start, end)) {
      let nameEnd = prefixEnd;
      while (nameEnd < end && buf[nameEnd] !== QUOTE) nameEnd++;
      if (nameEnd < end) {
        const metric = wantedName(buf, prefixEnd, nameEnd);
        if (metric === undefined) {
          // A sample the analysis does not read (11 of k6's 13 lines per request): checked for its end,
          // never decoded.
          if (buf[end - 1] !== CLOSE_BRACE) fail('truncated line');
          return;
        }
        const line = buf.toString('utf8', start, end);
        const fast = declared.has(metric) ? fastPoint(line, nameEnd - start) : undefined;
        if (fast) {
          if (fast.tagsText !== lastTagsText) {
            try {
              const parsed: unknown = JSON.parse(fast.tagsText);
              lastTags = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
              lastTagsText = fast.tagsText;
            } catch {
              return slowLine(line);
            }
          }
          return sample(metric, fast.value, lastTags, fast.time);
        }
        return slowLine(line);
      }
    }
    slowLine(buf.toString('utf8', start, end));
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
    warmupDroppedIterations,
    warmupFailedRequests,
    firstSample,
    lastSample,
  };
}
