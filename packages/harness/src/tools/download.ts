// One HTTP GET into memory that says precisely why it failed: the status, a body shorter than its
// Content-Length, a stalled or dropped connection. Redirects are followed (GitHub release assets and
// dl.k8s.io both redirect to a CDN).

export type Download = { ok: true; body: Uint8Array } | { ok: false; reason: string };

export interface DownloadOptions {
  /** Give up when no byte arrives for this long. */
  stallMs?: number;
  /** Aborts the download (a step timeout or Ctrl-C). */
  signal?: AbortSignal;
}

// What the usual network error codes mean, for someone who has not met them.
const MEANING: Record<string, string> = {
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_SOCKET: 'the server closed the connection',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
};

const describe = (error: unknown): string => {
  const err = error as { message?: string; cause?: { code?: string; message?: string } };
  const message = err.message ?? String(error);
  const code = err.cause?.code;
  if (code) return `${message} (${code}${MEANING[code] ? `: ${MEANING[code]}` : ''})`;
  return err.cause?.message ? `${message} (${err.cause.message})` : message;
};

export async function download(
  url: string,
  { stallMs = 60_000, signal }: DownloadOptions = {},
): Promise<Download> {
  const abort = new AbortController();
  const onAbort = () => abort.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) abort.abort();
  let timer = setTimeout(() => abort.abort(), stallMs);
  const stalled = () => (signal?.aborted ? 'aborted' : `no data for ${stallMs / 1000} s`);
  try {
    let response: Response;
    try {
      response = await fetch(url, { signal: abort.signal, redirect: 'follow' });
    } catch (error) {
      return { ok: false, reason: `network error: ${abort.signal.aborted ? stalled() : describe(error)}` };
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => {});
      return { ok: false, reason: `HTTP ${response.status} ${response.statusText}`.trim() };
    }
    const header = response.headers.get('content-length');
    const expected = header === null ? undefined : Number(header);
    const chunks: Uint8Array[] = [];
    let received = 0;
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        received += value.byteLength;
        clearTimeout(timer);
        timer = setTimeout(() => abort.abort(), stallMs);
      }
    } catch (error) {
      const why = abort.signal.aborted ? stalled() : describe(error);
      if (expected !== undefined && received < expected)
        return {
          ok: false,
          reason: `truncated body: received ${received} of ${expected} bytes (Content-Length), then the connection failed: ${why}`,
        };
      return { ok: false, reason: `connection lost after ${received} bytes: ${why}` };
    }
    if (expected !== undefined && received !== expected)
      return {
        ok: false,
        reason: `truncated body: received ${received} of ${expected} bytes (Content-Length)`,
      };
    return { ok: true, body: Buffer.concat(chunks) };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
