// The HTTP lifecycle both apps share: routing to app handlers, the built-in health/readiness/
// metrics endpoints, RED metrics with bounded labels, trace context, and graceful shutdown.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
// Imported rather than read from the global object on every request.
import { performance } from 'node:perf_hooks';
import { sendJson, sendText } from './http.ts';
import type { Registry } from './metrics.ts';
import type { Exporter } from './otlp.ts';
import type { TraceContext } from './trace-context.ts';
import { parseTraceparent, startContext } from './trace-context.ts';
import { responseWithHeader } from './versioned-response.ts';

/** Shared by every untraced request to the same URL: read it, never change it. */
export type RequestContext = {
  /** The raw query string, without '?'. */
  readonly query: string;
  /** The path segment after the route's prefix, for templates like /delay/{ms}. */
  readonly param: string;
  /** A child of the incoming W3C traceparent, or a new root when the service traces every request. */
  readonly trace: TraceContext | undefined;
};
export type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RequestContext,
) => void | Promise<void>;
export type Route = { template: string; handler: Handler };
/** Must answer the same for the same path: the service keeps the last URL's answer. */
export type Router = (pathname: string) => { route: Route; param: string } | undefined;

export type ServiceOptions = {
  serviceName: string;
  version: string;
  router: Router;
  registry: Registry;
  exporter?: Exporter | undefined;
  /** Start a trace context even without an incoming traceparent (apps that call others). */
  alwaysTrace?: boolean;
  /** Time to keep serving after SIGTERM with readiness false, so load balancers notice first. */
  shutdownDelayMs: number;
  /** Upper bound on waiting for in-flight requests once the listener is closed. */
  drainTimeoutMs: number;
};

export type Service = {
  server: Server;
  listen(port: number, host?: string): Promise<number>;
  /** Resolves true when every in-flight request finished within the drain timeout. */
  shutdown(): Promise<boolean>;
  isReady(): boolean;
  inFlight(): number;
};

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);
// GET first: what nearly every request is, decided without a set lookup.
const methodLabel = (method: string | undefined): string =>
  method === 'GET' ? 'GET' : method !== undefined && METHODS.has(method) ? method : 'OTHER';
// The built-in paths are 7 or 8 characters long: other paths skip the comparisons.
const isBuiltin = (pathname: string): boolean =>
  (pathname.length === 8 && (pathname === '/healthz' || pathname === '/metrics')) ||
  (pathname.length === 7 && pathname === '/readyz');
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The traceparent header from the raw header list: a few comparisons per header. (Node 24 builds
 * req.headers for every HTTP/1.1 request anyway, to check Host and Expect, so this saves little
 * over reading it there.) A repeated header is invalid per W3C Trace Context.
 */
function traceparentHeader(req: IncomingMessage): string | undefined {
  const raw = req.rawHeaders;
  let value: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === 11 && name.toLowerCase() === 'traceparent') {
      if (value !== undefined) return undefined;
      value = raw[i + 1];
    }
  }
  return value;
}

export function createService(opts: ServiceOptions): Service {
  const { registry, exporter, version } = opts;
  const duration = registry.histogram(
    'http_request_duration_seconds',
    'Duration of HTTP requests in seconds, by method, route template and status.',
    ['method', 'path', 'status'],
  );
  const requests = registry.counter('http_requests_total', 'HTTP requests served.', [
    'method',
    'path',
    'status',
  ]);
  let inFlight = 0;
  let ready = false;
  let draining = false;
  let onIdle: (() => void) | undefined;
  registry.collect('http_requests_in_flight', 'Requests being served now.', 'gauge', () => inFlight);
  registry.collect('app_info', 'Build information.', 'gauge', () => [
    [{ service: opts.serviceName, version }, 1],
  ]);

  // One recorder per (route template, method, status), made on first use: a request records its
  // duration and count without building a label key. Bounded like the labels themselves.
  type Recorder = (seconds: number) => void;
  const recorders = new Map<string, Map<string, Map<number, Recorder>>>();
  // The last series used: under steady traffic most requests repeat it, and skip the three lookups.
  const last = { template: '', method: '', status: 0, record: (_seconds: number) => {} };
  function recorder(template: string, method: string, status: number): Recorder {
    if (template === last.template && method === last.method && status === last.status) return last.record;
    let byMethod = recorders.get(template);
    if (byMethod === undefined) {
      byMethod = new Map();
      recorders.set(template, byMethod);
    }
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) {
      byStatus = new Map();
      byMethod.set(method, byStatus);
    }
    let record = byStatus.get(status);
    if (record === undefined) {
      const labels = [method, template, String(status)];
      const histogram = duration.labels(labels);
      const counter = requests.labels(labels);
      record = (seconds) => {
        histogram.observe(seconds);
        counter.inc();
      };
      byStatus.set(status, record);
    }
    last.template = template;
    last.method = method;
    last.status = status;
    last.record = record;
    return record;
  }
  // What a URL routes to. The last URL's is kept: load generators, canary probes and health checks
  // ask for the same URL over and over, and a repeat then costs one string comparison instead of a
  // split, a router call and a context object.
  type Routed = {
    pathname: string;
    builtin: boolean;
    /** The app route and an untraced request's context (frozen, shared by every repeat). */
    app: { route: Route; untraced: RequestContext } | undefined;
  };
  function route(url: string): Routed {
    const q = url.indexOf('?');
    const pathname = q === -1 ? url : url.slice(0, q);
    const builtin = isBuiltin(pathname);
    const match = builtin ? undefined : opts.router(pathname);
    if (match === undefined) return { pathname, builtin, app: undefined };
    const query = q === -1 ? '' : url.slice(q + 1);
    const untraced = Object.freeze({ query, param: match.param, trace: undefined });
    return { pathname, builtin, app: { route: match.route, untraced } };
  }
  let lastUrl = '/';
  let lastRouted = route(lastUrl);
  // With export on, or in an app that propagates context, every request gets a span context.
  const traceEveryRequest = exporter !== undefined || opts.alwaysTrace === true;

  // A request's state lives on its response (one class per service, so one object shape). Fields
  // with initializers are laid out when the response is made; set later they cost more (measured:
  // about 40 ns more per response). Its close is seen in emit, not by a listener added to every
  // response.
  class TrackedResponse extends responseWithHeader('x-app-version', version) {
    started = 0;
    method = 'OTHER';
    template = 'other';
    trace: TraceContext | undefined = undefined;
    override emit(event: string | symbol, ...args: unknown[]): boolean {
      if (event === 'close') onClose(this);
      return super.emit(event, ...args);
    }
  }

  function onClose(res: TrackedResponse): void {
    inFlight--;
    // A response closed before it finished means the client went away: record it as 499.
    const status = res.writableFinished ? res.statusCode : 499;
    const seconds = (performance.now() - res.started) / 1000;
    recorder(res.template, res.method, status)(seconds);
    const trace = res.trace;
    if (exporter && trace?.sampled) {
      const startMs = performance.timeOrigin + res.started;
      exporter.add({
        traceId: trace.traceId,
        spanId: trace.spanId,
        parentSpanId: trace.parentSpanId,
        name: `${res.method} ${res.template}`,
        kind: 'server',
        startMs,
        endMs: startMs + seconds * 1000,
        attributes: {
          'http.request.method': res.method,
          'http.route': res.template,
          'http.response.status_code': status,
        },
        error: status >= 500,
      });
    }
    if (inFlight === 0) onIdle?.();
  }

  function handle(req: IncomingMessage, res: TrackedResponse): void {
    res.started = performance.now();
    const url = req.url ?? '/';
    if (url !== lastUrl) {
      lastRouted = route(url);
      lastUrl = url;
    }
    const routed = lastRouted;
    const { pathname, app } = routed;
    const method = methodLabel(req.method);
    res.method = method;
    // While draining, every response closes its connection so clients re-connect elsewhere.
    if (draining) res.setHeader('connection', 'close');
    // The raw header scan is a few comparisons; a span context is made only for an incoming
    // traceparent or when this service traces every request.
    const incoming = parseTraceparent(traceparentHeader(req));
    const trace = incoming || traceEveryRequest ? startContext(incoming) : undefined;
    res.trace = trace;
    inFlight++;

    if (routed.builtin) {
      res.template = pathname;
      builtin(pathname, res);
      return;
    }
    if (app === undefined) {
      sendJson(res, 404, { error: `no route for ${pathname.slice(0, 100)}` });
      return;
    }
    res.template = app.route.template;
    if (method !== 'GET' && method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      sendJson(res, 405, { error: 'only GET and HEAD are allowed' });
      return;
    }
    const ctx = trace === undefined ? app.untraced : { ...app.untraced, trace };
    try {
      const pending = app.route.handler(req, res, ctx);
      if (pending) pending.catch((err: unknown) => fail(res, err));
    } catch (err) {
      fail(res, err);
    }
  }

  function fail(res: ServerResponse, err: unknown): void {
    if (!res.headersSent) sendJson(res, 500, { error: 'internal error', detail: String(err).slice(0, 200) });
    else res.destroy();
  }

  function builtin(pathname: string, res: ServerResponse): void {
    if (pathname === '/healthz') sendJson(res, 200, { status: 'ok' });
    else if (pathname === '/readyz') sendJson(res, ready ? 200 : 503, { ready });
    else sendText(res, 200, 'text/plain; version=0.0.4; charset=utf-8', registry.render());
  }

  const server = createServer<typeof IncomingMessage, typeof TrackedResponse>(
    { keepAliveTimeout: 65_000, requestTimeout: 60_000, ServerResponse: TrackedResponse },
    handle,
  );
  // Longer than common proxies' idle timeouts, so the proxy, not the app, closes idle connections.
  server.headersTimeout = 66_000;

  let shuttingDown: Promise<boolean> | undefined;
  async function drain(): Promise<boolean> {
    ready = false;
    draining = true;
    if (opts.shutdownDelayMs > 0) await sleep(opts.shutdownDelayMs);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const idle = inFlight === 0 ? Promise.resolve() : new Promise<void>((r) => (onIdle = r));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), opts.drainTimeoutMs)));
    const drained = await Promise.race([idle.then(() => true), timedOut]);
    clearTimeout(timer);
    server.closeAllConnections();
    await closed;
    await exporter?.shutdown();
    return drained;
  }

  return {
    // Callers only listen and close; the response class is this module's business.
    server: server as unknown as Server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          ready = true;
          resolve((server.address() as AddressInfo).port);
        });
      });
    },
    shutdown() {
      shuttingDown ??= drain();
      return shuttingDown;
    },
    isReady: () => ready,
    inFlight: () => inFlight,
  };
}
