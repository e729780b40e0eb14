import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatTraceparent, newSpanId, newTraceId, parseTraceparent, startContext } from './trace-context.ts';

const VALID = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

test('parses a valid traceparent and continues the trace as a child', () => {
  const p = parseTraceparent(VALID);
  assert.deepEqual(p, {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    parentId: '00f067aa0ba902b7',
    flags: 1,
  });
  const ctx = startContext(p);
  assert.equal(ctx.traceId, p?.traceId);
  assert.equal(ctx.parentSpanId, '00f067aa0ba902b7');
  assert.notEqual(ctx.spanId, '00f067aa0ba902b7');
  assert.equal(ctx.sampled, true);
  assert.match(formatTraceparent(ctx), /^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
  assert.equal(startContext(parseTraceparent(VALID.replace(/01$/, '00'))).sampled, false);
});

test('rejects malformed, all-zero, version ff and repeated traceparent headers', () => {
  for (const bad of [
    '',
    'garbage',
    VALID.toUpperCase(),
    `${VALID}-extra`,
    '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
    '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
    'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  ]) {
    assert.equal(parseTraceparent(bad), undefined, bad);
  }
  assert.equal(parseTraceparent([VALID, VALID]), undefined);
  // A future version may append fields; its known prefix is still honoured.
  assert.ok(parseTraceparent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future'));
});

test('new ids are random lowercase hex of the right length', () => {
  const ids = new Set(Array.from({ length: 2000 }, newSpanId));
  assert.equal(ids.size, 2000);
  for (const id of ids) assert.match(id, /^[0-9a-f]{16}$/);
  assert.match(newTraceId(), /^[0-9a-f]{32}$/);
  const root = startContext(undefined);
  assert.equal(root.parentSpanId, undefined);
  assert.equal(root.sampled, true);
});
