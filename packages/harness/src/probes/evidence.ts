// What the in-pod client (client.ts) prints for one request: raw observations only, no verdict. The
// classifier (classify.ts) judges it on the host, where the mesh's facts are known.

/** The response headers the client keeps: enough to tell an app's answer from a proxy's. */
export const KEPT_HEADERS = [
  'content-type',
  'content-length',
  'server',
  'x-app-version',
  'l5d-proxy-error',
  'x-envoy-upstream-service-time',
] as const;

/** How far the request got before it ended (or failed). */
export type Phase = 'lookup' | 'connect' | 'response' | 'body' | 'done';

export interface RequestEvidence {
  method: string;
  url: string;
  /** The client's TCP connect completed (behind a sidecar or ztunnel: to the local proxy). */
  connected: boolean;
  /** Where the request stopped; `done` when a whole response was read. */
  phase: Phase;
  status?: number;
  headers: Partial<Record<(typeof KEPT_HEADERS)[number], string>>;
  /** The first bytes of the body (UTF-8, at most BODY_PREFIX_BYTES). */
  body: string;
  /** Body bytes received in total. */
  bodyBytes: number;
  /** Node's error code (ECONNRESET, ECONNREFUSED, ETIMEDOUT for our own deadline, EAI_AGAIN, ...) and message. */
  error?: { code: string; message: string };
  /** Milliseconds from the start: DNS answer, TCP connect, response head; and the whole attempt. */
  timings: { lookupMs?: number; connectMs?: number; responseMs?: number; totalMs: number };
  /** The address the client connected to (the Service's cluster IP, usually). */
  remoteAddress?: string;
}

export const BODY_PREFIX_BYTES = 256;
