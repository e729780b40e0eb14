// Calls the backend's identity endpoint with trace context, over kept-alive connections.
import { Agent, request } from 'node:http';
import type { Exporter } from '@meshproof-app/shared/otlp';
import type { TraceContext } from '@meshproof-app/shared/trace-context';
import { formatTraceparent, newSpanId } from '@meshproof-app/shared/trace-context';

export type BackendIdentity = { version: string; pod: string };
/** A failed call; `version` when a backend answered (with an error status) and named itself. */
export type BackendFailure = Error & { version?: string };
export type BackendClient = {
  identify(parent: TraceContext | undefined): Promise<BackendIdentity>;
  close(): void;
};

const MAX_BODY = 64 * 1024; // the identity document is tiny; anything bigger is an error

export function createBackendClient(
  urls: readonly URL[],
  timeoutMs: number,
  exporter?: Exporter,
): BackendClient {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let next = 0;

  function identify(parent: TraceContext | undefined): Promise<BackendIdentity> {
    const base = urls[next++ % urls.length] as URL;
    const span = parent && { ...parent, spanId: newSpanId(), parentSpanId: parent.spanId };
    const started = performance.now();
    const result = new Promise<BackendIdentity>((resolve, reject) => {
      const req = request(new URL('/', base), {
        agent,
        timeout: timeoutMs,
        headers: span ? { traceparent: formatTraceparent(span) } : {},
      });
      req.on('timeout', () => req.destroy(new Error(`backend timed out after ${timeoutMs} ms`)));
      req.on('error', reject);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY) req.destroy(new Error('backend response too large'));
          else chunks.push(c);
        });
        res.on('error', reject);
        res.on('end', () => {
          if (res.statusCode !== 200) {
            // The version that failed, when the answer says (the demo apps set x-app-version on every
            // answer): a canary's errors are then told apart from the primary's.
            const version = res.headers['x-app-version'];
            const err: BackendFailure = new Error(`backend answered ${res.statusCode}`);
            if (typeof version === 'string') err.version = version.slice(0, 64);
            return reject(err);
          }
          try {
            const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<BackendIdentity>;
            if (typeof body.version !== 'string') throw new Error('no version in backend response');
            resolve({ version: body.version.slice(0, 64), pod: String(body.pod ?? '').slice(0, 253) });
          } catch (err) {
            reject(err);
          }
        });
      });
      req.end();
    });
    if (exporter && span?.sampled) {
      const record = (error: boolean) => {
        const startMs = performance.timeOrigin + started;
        exporter.add({
          ...span,
          name: 'GET backend /',
          kind: 'client',
          startMs,
          endMs: performance.timeOrigin + performance.now(),
          attributes: { 'server.address': base.host },
          error,
        });
      };
      result.then(
        () => record(false),
        () => record(true),
      );
    }
    return result;
  }

  return { identify, close: () => agent.destroy() };
}
