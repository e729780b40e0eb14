// The in-pod request client. The runner starts it with `kubectl exec` in the caller's app container,
// so the request leaves with the caller's ServiceAccount through its mesh data path:
//   node /app/probe.mjs --method GET --url http://backend.shop.svc.cluster.local:8080/ --timeout-ms 2000
//     [--header x-version:v2 ...] [--count 50]
// One request per count (default 1), one after the other, each on a new connection; one JSON line of
// RequestEvidence per request on stdout, exit 0 whatever the answers (2 on bad arguments). It opens no listener and forwards nothing: a one-shot process, not a proxy.
// Bundled into both demo images as /app/probe.mjs (apps/shared/src/bundle.ts), so only node builtins.
import { request } from 'node:http';
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { BODY_PREFIX_BYTES, KEPT_HEADERS, type RequestEvidence } from './evidence.ts';

export interface ClientOptions {
  method: string;
  url: URL;
  timeoutMs: number;
  /** Request headers to send (e.g. the match of a header route), lowercase names. */
  headers?: Record<string, string>;
}

/** At most this many requests per process: enough to judge a route, too few to be load. */
export const MAX_COUNT = 1000;

// Enough to see a whole proxy answer; an app's large body is counted, not kept.
const MAX_BODY_BYTES = 1 << 20;

const RESERVED = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'user-agent']);

export function parseClientArgs(argv: string[]): ClientOptions & { count: number } {
  const { values } = parseArgs({
    args: argv,
    options: {
      method: { type: 'string' },
      url: { type: 'string' },
      'timeout-ms': { type: 'string' },
      header: { type: 'string', multiple: true },
      count: { type: 'string' },
    },
    strict: true,
  });
  const method = values.method ?? 'GET';
  if (!/^[A-Z]{1,16}$/.test(method))
    throw new Error(`--method: expected an HTTP method such as GET; got "${method}"`);
  if (!values.url) throw new Error('--url is required (http://host:port/path)');
  let url: URL;
  try {
    url = new URL(values.url);
  } catch {
    throw new Error(`--url: not a URL: "${values.url}"`);
  }
  if (url.protocol !== 'http:')
    throw new Error(`--url: only http:// is probed (the mesh adds TLS); got ${url.protocol}`);
  const timeoutMs = Number(values['timeout-ms'] ?? '2000');
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 120_000) {
    throw new Error(`--timeout-ms: expected an integer from 1 to 120000; got "${values['timeout-ms']}"`);
  }
  const headers: Record<string, string> = {};
  for (const h of values.header ?? []) {
    const at = h.indexOf(':');
    const name = h.slice(0, at).trim().toLowerCase();
    // A token (RFC 9110), and never one that would change where or how the request goes.
    if (at < 1 || !/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name) || RESERVED.has(name))
      throw new Error(
        `--header: expected name:value with a header name other than ${[...RESERVED].join('/')}; got "${h}"`,
      );
    const value = h.slice(at + 1).trim();
    if (/[\r\n\0]/.test(value)) throw new Error(`--header ${name}: the value has a line break or NUL`);
    headers[name] = value;
  }
  const count = Number(values.count ?? '1');
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT)
    throw new Error(`--count: expected an integer from 1 to ${MAX_COUNT}; got "${values.count}"`);
  return { method, url, timeoutMs, count, ...(Object.keys(headers).length > 0 ? { headers } : {}) };
}

/** Sends one request on a fresh connection and reports what happened; never rejects. */
export function probeOnce({ method, url, timeoutMs, headers }: ClientOptions): Promise<RequestEvidence> {
  const started = performance.now();
  const since = () => Math.round(performance.now() - started);
  const evidence: RequestEvidence = {
    method,
    url: url.href,
    connected: false,
    phase: isIP(url.hostname.replace(/^\[|\]$/g, '')) ? 'connect' : 'lookup',
    headers: {},
    body: '',
    bodyBytes: 0,
    timings: { totalMs: 0 },
  };
  return new Promise((resolve) => {
    let settled = false;
    const prefix: Buffer[] = [];
    let kept = 0;
    const finish = (err?: Error & { code?: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) evidence.error = { code: err.code ?? 'ERROR', message: err.message };
      evidence.body = Buffer.concat(prefix).toString('utf8');
      evidence.timings.totalMs = since();
      req.destroy();
      resolve(evidence);
    };
    // agent: false = a new TCP connection for this request only (policy is judged per connection).
    const req = request(url, {
      method,
      agent: false,
      headers: { ...headers, 'user-agent': 'meshproof-probe' },
    });
    const timer = setTimeout(() => {
      finish(
        Object.assign(new Error(`no answer within ${timeoutMs} ms (${evidence.phase})`), {
          code: 'ETIMEDOUT',
        }),
      );
    }, timeoutMs);
    req.on('socket', (socket) => {
      socket.on('lookup', (err: Error | null) => {
        evidence.timings.lookupMs = since();
        if (!err) evidence.phase = 'connect';
      });
      socket.on('connect', () => {
        evidence.connected = true;
        evidence.timings.connectMs = since();
        evidence.remoteAddress = socket.remoteAddress;
        evidence.phase = 'response';
      });
    });
    req.on('response', (res) => {
      evidence.status = res.statusCode;
      evidence.timings.responseMs = since();
      evidence.phase = 'body';
      for (const name of KEPT_HEADERS) {
        const value = res.headers[name];
        if (value !== undefined) evidence.headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      res.on('data', (chunk: Buffer) => {
        evidence.bodyBytes += chunk.length;
        if (kept < BODY_PREFIX_BYTES) {
          const part = chunk.subarray(0, BODY_PREFIX_BYTES - kept);
          prefix.push(part);
          kept += part.length;
        }
        if (evidence.bodyBytes > MAX_BODY_BYTES) finish();
      });
      res.on('end', () => {
        evidence.phase = 'done';
        finish();
      });
      res.on('error', finish);
      // A connection cut mid-body may end with 'close' alone.
      res.on('close', () => {
        if (!res.complete) finish(Object.assign(new Error('response cut off'), { code: 'ECONNRESET' }));
      });
    });
    req.on('error', finish);
    req.end();
  });
}

if (import.meta.main) {
  let options: ReturnType<typeof parseClientArgs>;
  try {
    options = parseClientArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(
      `probe: ${(err as Error).message}\nusage: probe --method GET --url http://host:port/path --timeout-ms 2000 [--header name:value]... [--count N]\n`,
    );
    process.exit(2);
  }
  const lines: string[] = [];
  for (let i = 0; i < options.count; i++) lines.push(JSON.stringify(await probeOnce(options)));
  process.stdout.write(`${lines.join('\n')}\n`, () => process.exit(0));
}
