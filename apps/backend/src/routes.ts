// The backend's endpoints. Every number taken from a request is bounded, so no input can make
// a response large, slow without limit, or crash the process.
import type { OutgoingHttpHeaders } from 'node:http';
import { sendJson } from '@meshproof-app/shared/http';
import { parseBoundedInt, queryParam } from '@meshproof-app/shared/params';
import type { Handler, Route, Router } from '@meshproof-app/shared/service';
import type { BackendConfig } from './config.ts';
import { withFaults } from './faults.ts';

export const ECHO_DEFAULT_BYTES = 1024;
export const ECHO_MAX_BYTES = 1024 * 1024;
export const DELAY_MAX_MS = 10_000;

// One shared buffer; echo responses are views into it.
const ECHO_BYTES = Buffer.alloc(ECHO_MAX_BYTES, 'meshproof.');
// The answer (view and headers) per size asked for, made once: benchmarks and canaries ask for the
// same size over and over, so a repeat allocates nothing. Bounded, as sizes come from requests.
type EchoAnswer = { headers: Readonly<OutgoingHttpHeaders>; body: Buffer };
const echoAnswers = new Map<number, EchoAnswer>();
const ECHO_CACHE_SIZES = 64;
function echoAnswer(size: number): EchoAnswer {
  let answer = echoAnswers.get(size);
  if (answer === undefined) {
    answer = {
      headers: Object.freeze({ 'content-type': 'application/octet-stream', 'content-length': size }),
      body: ECHO_BYTES.subarray(0, size),
    };
    if (echoAnswers.size < ECHO_CACHE_SIZES) echoAnswers.set(size, answer);
  }
  return answer;
}

function identity(config: BackendConfig): Handler {
  const body = (trace: { traceId: string; parentSpanId: string | undefined } | undefined) => ({
    service: config.serviceName,
    version: config.version,
    pod: config.podName,
    // Lets callers check that trace context crossed the hop (and the mesh) intact.
    traceId: trace?.traceId ?? null,
    parentSpanId: trace?.parentSpanId ?? null,
  });
  // Without trace context the answer never changes: serialized once, with frozen headers (which
  // the service's response class merges with x-app-version once, not per request).
  const untraced = Buffer.from(JSON.stringify(body(undefined)));
  const untracedHeaders = Object.freeze({
    'content-type': 'application/json',
    'content-length': untraced.length,
  });
  return (_req, res, ctx) => {
    const trace = ctx.trace;
    if (trace === undefined) res.writeHead(200, untracedHeaders).end(untraced);
    else sendJson(res, 200, body(trace));
  };
}

function echo(): Handler {
  // The last query's answer: the service hands every repeat of a URL the same query string, so a
  // repeat skips parsing it.
  let lastQuery: string | undefined;
  let last: EchoAnswer | undefined;
  return (_req, res, ctx) => {
    if (ctx.query !== lastQuery || last === undefined) {
      const size = parseBoundedInt(
        'size',
        queryParam(ctx.query, 'size'),
        ECHO_DEFAULT_BYTES,
        0,
        ECHO_MAX_BYTES,
      );
      if (!size.ok) return sendJson(res, 400, { error: size.message });
      last = echoAnswer(size.value);
      lastQuery = ctx.query;
    }
    res.writeHead(200, last.headers);
    res.end(last.body);
  };
}

const status: Handler = (_req, res, ctx) => {
  const code = parseBoundedInt('code', ctx.param, undefined, 200, 599);
  if (!code.ok) return sendJson(res, 400, { error: code.message });
  sendJson(res, code.value, { status: code.value });
};

const delay: Handler = (_req, res, ctx) => {
  const ms = parseBoundedInt('ms', ctx.param, undefined, 0, DELAY_MAX_MS);
  if (!ms.ok) return sendJson(res, 400, { error: ms.message });
  const timer = setTimeout(() => sendJson(res, 200, { delayMs: ms.value }), ms.value);
  res.once('close', () => clearTimeout(timer)); // client gone: don't keep the timer alive
};

export function backendRouter(config: BackendConfig): Router {
  const wrap = (template: string, handler: Handler): Route => ({
    template,
    handler: withFaults(handler, config.faults),
  });
  const statusRoute = wrap('/status/{code}', status);
  const delayRoute = wrap('/delay/{ms}', delay);
  // Fixed paths answer with the same match object every time: nothing allocated per request.
  const rootMatch = { route: wrap('/', identity(config)), param: '' };
  const echoMatch = { route: wrap('/api/echo', echo()), param: '' };
  return (pathname) => {
    if (pathname === '/') return rootMatch;
    if (pathname === '/api/echo') return echoMatch;
    if (pathname.startsWith('/status/')) return { route: statusRoute, param: pathname.slice(8) };
    if (pathname.startsWith('/delay/')) return { route: delayRoute, param: pathname.slice(7) };
    return undefined;
  };
}
