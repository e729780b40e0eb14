// One keep-alive HTTP/1.1 connection that sends a fixed GET and reads the reply, with the least
// work per request (no header objects, no streams), so the load generator stays cheap next to
// the server it measures. It understands replies with a Content-Length, which is what the demo
// backend sends; anything else (chunked, a broken status line) fails the request with a reason.
import { connect, type Socket } from 'node:net';

export type Reply = { status: number } | { error: string };
export type Conn = {
  /** Sends the request; `done` is called once with the reply or the reason it failed. */
  send(done: (reply: Reply) => void): void;
  readonly alive: boolean;
  close(): void;
};

const HEADER_END = Buffer.from('\r\n\r\n');

export function requestBytes(path: string, host: string): Buffer {
  return Buffer.from(
    `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: meshproof-bench\r\n\r\n`,
    'latin1',
  );
}

export function openConn(port: number, request: Buffer): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: '127.0.0.1', port, noDelay: true });
    let alive = true;
    let pending: ((reply: Reply) => void) | undefined;
    let buffered: Buffer | undefined;
    let status = 0;
    let bodyLeft = -1; // -1: still reading the head
    let keepAlive = true;

    const finish = (reply: Reply) => {
      const done = pending;
      pending = undefined;
      buffered = undefined;
      bodyLeft = -1;
      if (!keepAlive || 'error' in reply) kill();
      done?.(reply);
    };
    const kill = () => {
      alive = false;
      socket.destroy();
    };

    socket.once('connect', () => resolve(conn));
    socket.on('error', (e) => {
      if (pending) finish({ error: e.message });
      alive = false;
      reject(e);
    });
    socket.on('close', () => {
      alive = false;
      if (pending) finish({ error: 'connection closed before the reply ended' });
    });
    socket.on('data', (chunk: Buffer) => {
      if (!pending) return kill(); // bytes nobody asked for: the connection is out of step
      let data = buffered ? Buffer.concat([buffered, chunk]) : chunk;
      if (bodyLeft < 0) {
        const end = data.indexOf(HEADER_END);
        if (end < 0) {
          buffered = data;
          return;
        }
        const head = data.subarray(0, end).toString('latin1');
        const parsed = parseHead(head);
        if ('error' in parsed) return finish(parsed);
        status = parsed.status;
        bodyLeft = parsed.contentLength;
        keepAlive = parsed.keepAlive;
        data = data.subarray(end + HEADER_END.length);
      }
      bodyLeft -= data.length;
      buffered = undefined;
      if (bodyLeft > 0) return;
      if (bodyLeft < 0) return finish({ error: 'more bytes than Content-Length' });
      finish({ status });
    });

    const conn: Conn = {
      send(done) {
        if (!alive) return done({ error: 'connection is closed' });
        if (pending) return done({ error: 'connection is busy' });
        pending = done;
        socket.write(request);
      },
      get alive() {
        return alive;
      },
      close: kill,
    };
  });
}

type Head = { status: number; contentLength: number; keepAlive: boolean } | { error: string };

export function parseHead(head: string): Head {
  const lines = head.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (!m) return { error: `not an HTTP/1.x status line: ${JSON.stringify((lines[0] ?? '').slice(0, 60))}` };
  let contentLength = -1;
  let keepAlive = (lines[0] ?? '').startsWith('HTTP/1.1');
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line
      .slice(colon + 1)
      .trim()
      .toLowerCase();
    if (name === 'content-length') contentLength = Number(value);
    else if (name === 'transfer-encoding') return { error: `unsupported transfer-encoding ${value}` };
    else if (name === 'connection') keepAlive = value !== 'close';
  }
  if (!Number.isInteger(contentLength) || contentLength < 0)
    return { error: 'reply without a Content-Length' };
  return { status: Number(m[1]), contentLength, keepAlive };
}
