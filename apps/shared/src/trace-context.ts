// W3C Trace Context (traceparent) parsing and id generation.
import { randomFillSync } from 'node:crypto';

export type TraceContext = {
  traceId: string;
  spanId: string;
  /** The caller's span id, when the request carried a traceparent. */
  parentSpanId: string | undefined;
  sampled: boolean;
};

const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);
const HEADER = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

export type Traceparent = { traceId: string; parentId: string; flags: number };

export function parseTraceparent(header: string | string[] | undefined): Traceparent | undefined {
  if (typeof header !== 'string') return undefined; // a repeated header is invalid per the spec
  const m = HEADER.exec(header.trim());
  if (!m) return undefined;
  const [, version, traceId, parentId, flags, rest] = m;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE || parentId === ZERO_SPAN || !traceId || !parentId || !flags) return undefined;
  return { traceId, parentId, flags: Number.parseInt(flags, 16) };
}

export function formatTraceparent(ctx: { traceId: string; spanId: string; sampled: boolean }): string {
  return `00-${ctx.traceId}-${ctx.spanId}-${ctx.sampled ? '01' : '00'}`;
}

// Ids come from a pooled random buffer: one crypto call per 512 ids instead of one per id.
const pool = Buffer.alloc(4096);
let offset = pool.length;
function randomHex(bytes: number): string {
  if (offset + bytes > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}

export const newTraceId = (): string => randomHex(16);
export const newSpanId = (): string => randomHex(8);

/** The context of a new span: a child of the incoming traceparent, or a new root. */
export function startContext(incoming: Traceparent | undefined): TraceContext {
  return {
    traceId: incoming?.traceId ?? newTraceId(),
    spanId: newSpanId(),
    parentSpanId: incoming?.parentId,
    sampled: incoming ? (incoming.flags & 1) === 1 : true,
  };
}
