import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Span } from './otlp.ts';
import { createOtlpExporter, otlpTracesUrl, toOtlpBody } from './otlp.ts';
import { startOtlpReceiver } from './testing/otlp-receiver.ts';

const span = (i: number): Span => ({
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: i.toString(16).padStart(16, '0'),
  parentSpanId: i === 1 ? undefined : '0000000000000001',
  name: `GET /${i}`,
  kind: 'server',
  startMs: 1_700_000_000_000.25,
  endMs: 1_700_000_000_001.5,
  attributes: { 'http.route': '/', 'http.response.status_code': 200 },
  error: false,
});

test('the traces URL follows the OTEL_* variables and is off by default', () => {
  assert.equal(otlpTracesUrl({}), undefined);
  assert.equal(
    otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })?.href,
    'http://c:4318/v1/traces',
  );
  assert.equal(
    otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/otlp/' })?.href,
    'http://c:4318/otlp/v1/traces',
  );
  assert.equal(
    otlpTracesUrl({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t:1/x',
    })?.href,
    'http://t:1/x',
  );
  assert.throws(
    () => otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'c:4318' }),
    /OTEL_EXPORTER_OTLP_ENDPOINT/,
  );
});

test('exports batches of spans as OTLP/HTTP JSON to a real receiver', async () => {
  const receiver = await startOtlpReceiver();
  const url = otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint });
  assert.ok(url);
  const exporter = createOtlpExporter({ url, serviceName: 'backend', serviceVersion: 'v1', maxBatch: 2 });
  for (let i = 1; i <= 5; i++) exporter.add(span(i));
  await exporter.shutdown();
  await receiver.close();
  assert.equal(receiver.spans.length, 5);
  assert.deepEqual(exporter.stats(), { exported: 5, dropped: 0, failed: 0 });
  const [first, second] = receiver.spans;
  assert.equal(first?.service, 'backend');
  assert.equal(first?.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
  assert.equal(first?.parentSpanId, undefined);
  assert.equal(second?.parentSpanId, '0000000000000001');
  assert.equal(first?.kind, 2);
  assert.equal(first?.startTimeUnixNano, '1700000000000250000');
  assert.equal(first?.endTimeUnixNano, '1700000000001500000');
  assert.deepEqual(first?.attributes, [
    { key: 'http.route', value: { stringValue: '/' } },
    { key: 'http.response.status_code', value: { intValue: '200' } },
  ]);
});

test('a full batch is posted at once, full batches only; flush and shutdown send the rest', async () => {
  const receiver = await startOtlpReceiver();
  const exporter = createOtlpExporter({
    url: new URL(`${receiver.endpoint}/v1/traces`),
    serviceName: 'backend',
    serviceVersion: 'v1',
    maxBatch: 4,
    flushIntervalMs: 600_000, // no timer flush during the test
  });
  try {
    for (let i = 1; i <= 10; i++) exporter.add(span(i));
    const deadline = Date.now() + 10_000;
    while (receiver.spans.length < 8 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 100)); // time for a wrongly sent remainder to arrive
    assert.deepEqual(receiver.batches, [4, 4], 'the remainder of 2 waits for a flush');
  } finally {
    await exporter.shutdown();
    await receiver.close();
  }
  assert.deepEqual(receiver.batches, [4, 4, 2]);
  assert.deepEqual(
    receiver.spans.map((s) => s.spanId),
    Array.from({ length: 10 }, (_, i) => (i + 1).toString(16).padStart(16, '0')),
  );
});

test('a full queue drops spans and an unreachable collector is counted, not thrown', async () => {
  const receiver = await startOtlpReceiver();
  await receiver.close(); // nothing listens on this port any more
  const exporter = createOtlpExporter({
    url: new URL(`${receiver.endpoint}/v1/traces`),
    serviceName: 'x',
    serviceVersion: 'v',
    maxQueue: 3,
    maxBatch: 100,
    timeoutMs: 1000,
  });
  for (let i = 1; i <= 10; i++) exporter.add(span(i));
  await exporter.shutdown();
  assert.deepEqual(exporter.stats(), { exported: 0, dropped: 7, failed: 3 });
});

test('the request body is OTLP JSON: escaped text, typed attributes, nanosecond strings', () => {
  const body = toOtlpBody(
    [
      {
        ...span(1),
        name: 'GET /"quoted"\\path\n',
        startMs: 0,
        endMs: 1_700_000_000_123.456,
        attributes: { 'a"key': 'x', int: -3, double: 0.25 },
        error: true,
      },
      span(2),
    ],
    'back"end',
    'v1',
  );
  assert.deepEqual(JSON.parse(body), {
    resourceSpans: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: 'back"end' } },
            { key: 'service.version', value: { stringValue: 'v1' } },
          ],
        },
        scopeSpans: [
          {
            scope: { name: 'meshproof-app' },
            spans: [
              {
                traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
                spanId: '0000000000000001',
                name: 'GET /"quoted"\\path\n',
                kind: 2,
                startTimeUnixNano: '0',
                endTimeUnixNano: '1700000000123456000',
                attributes: [
                  { key: 'a"key', value: { stringValue: 'x' } },
                  { key: 'int', value: { intValue: '-3' } },
                  { key: 'double', value: { doubleValue: 0.25 } },
                ],
                status: { code: 2 },
              },
              {
                traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
                spanId: '0000000000000002',
                parentSpanId: '0000000000000001',
                name: 'GET /2',
                kind: 2,
                startTimeUnixNano: '1700000000000250000',
                endTimeUnixNano: '1700000000001500000',
                attributes: [
                  { key: 'http.route', value: { stringValue: '/' } },
                  { key: 'http.response.status_code', value: { intValue: '200' } },
                ],
                status: { code: 0 },
              },
            ],
          },
        ],
      },
    ],
  });
});
