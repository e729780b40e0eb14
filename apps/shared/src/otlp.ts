// OTLP/HTTP JSON trace export. Spans are queued (bounded: extra spans are dropped and counted)
// and posted in batches, so a slow or missing collector never grows memory or blocks requests.
import type { Env } from './env.ts';
import { readUrl } from './env.ts';

export type SpanKind = 'server' | 'client';
export type Span = {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  kind: SpanKind;
  startMs: number; // epoch milliseconds with sub-ms fraction (performance.timeOrigin + now())
  endMs: number;
  attributes: Readonly<Record<string, string | number>>;
  error: boolean;
};

export type Exporter = {
  add(span: Span): void;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
  stats(): { exported: number; dropped: number; failed: number };
};

export type ExporterOptions = {
  url: URL;
  serviceName: string;
  serviceVersion: string;
  flushIntervalMs?: number;
  maxQueue?: number;
  maxBatch?: number;
  timeoutMs?: number;
};

/** The traces URL from the standard OTEL_* variables, or undefined when export is off. */
export function otlpTracesUrl(env: Env): URL | undefined {
  const direct = readUrl(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  if (direct) return direct;
  const base = readUrl(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (!base) return undefined;
  // The base endpoint gets the signal path appended (OTLP exporter spec).
  return new URL(`${base.pathname.replace(/\/$/, '')}/v1/traces`, base);
}

const KIND = { server: 2, client: 3 } as const;

// Epoch nanoseconds as a decimal string. Microseconds since the epoch stay below 2^53, so they are
// exact as a Number; the three zeros make nanoseconds without BigInt.
function nanos(ms: number): string {
  const us = Math.floor(ms * 1000);
  return us === 0 ? '0' : `${us}000`;
}

function attributeJson(key: string, value: string | number): string {
  let typed: string;
  if (typeof value === 'number' && Number.isInteger(value)) typed = `{"intValue":"${value}"}`;
  else if (typeof value === 'number') typed = `{"doubleValue":${JSON.stringify(value)}}`;
  else typed = `{"stringValue":${JSON.stringify(value)}}`;
  return `{"key":${JSON.stringify(key)},"value":${typed}}`;
}

function spanJson(s: Span): string {
  let attributes = '';
  for (const key in s.attributes) {
    attributes += `${attributes === '' ? '' : ','}${attributeJson(key, s.attributes[key] as string | number)}`;
  }
  // Ids are lowercase hex (made here or checked by the traceparent parser); text fields are escaped.
  return (
    `{"traceId":"${s.traceId}","spanId":"${s.spanId}",` +
    (s.parentSpanId ? `"parentSpanId":"${s.parentSpanId}",` : '') +
    `"name":${JSON.stringify(s.name)},"kind":${KIND[s.kind]},` +
    `"startTimeUnixNano":"${nanos(s.startMs)}","endTimeUnixNano":"${nanos(s.endMs)}",` +
    `"attributes":[${attributes}],"status":{"code":${s.error ? 2 : 0}}}`
  );
}

/**
 * An OTLP/HTTP JSON request body (ExportTraceServiceRequest), written as text directly: no
 * intermediate objects per span, which is most of what tracing costs a busy service.
 */
export function toOtlpBody(spans: readonly Span[], serviceName: string, serviceVersion: string): string {
  const resource = `[${attributeJson('service.name', serviceName)},${attributeJson('service.version', serviceVersion)}]`;
  return (
    `{"resourceSpans":[{"resource":{"attributes":${resource}},` +
    `"scopeSpans":[{"scope":{"name":"meshproof-app"},"spans":[${spans.map(spanJson).join(',')}]}]}]}`
  );
}

export function createOtlpExporter(opts: ExporterOptions): Exporter {
  const maxQueue = opts.maxQueue ?? 2048;
  const maxBatch = opts.maxBatch ?? 512;
  const timeoutMs = opts.timeoutMs ?? 5000;
  let queue: Span[] = [];
  let exported = 0;
  let dropped = 0;
  let failed = 0;
  let sending: Promise<void> = Promise.resolve();

  async function post(batch: Span[]): Promise<void> {
    try {
      const res = await fetch(opts.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: toOtlpBody(batch, opts.serviceName, opts.serviceVersion),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.arrayBuffer();
      if (res.ok) exported += batch.length;
      else failed += batch.length;
    } catch {
      failed += batch.length; // collector down: tracing is best effort, requests must not suffer
    }
  }

  // Batches go out one at a time (chained), so flush() also waits for everything queued so far.
  // A flush for a full batch sends full batches only: under load, spans keep arriving while a post
  // is out, and sending each small remainder at once would multiply the posts. The timer and
  // shutdown send the rest.
  let fullBatchPending = false;
  function send(all: boolean): Promise<void> {
    sending = sending.then(async () => {
      if (!all) fullBatchPending = false;
      while (queue.length >= (all ? 1 : maxBatch)) {
        const batch = queue.slice(0, maxBatch);
        queue = queue.slice(batch.length);
        await post(batch);
      }
    });
    return sending;
  }
  const flush = () => send(true);

  const timer = setInterval(() => void flush(), opts.flushIntervalMs ?? 1000);
  timer.unref();

  return {
    add(span) {
      if (queue.length >= maxQueue) {
        dropped++;
        return;
      }
      queue.push(span);
      if (queue.length >= maxBatch && !fullBatchPending) {
        fullBatchPending = true;
        void send(false);
      }
    },
    flush,
    async shutdown() {
      clearInterval(timer);
      await flush();
    },
    stats: () => ({ exported, dropped, failed }),
  };
}
