// The Flux source server's whole program, run by the image in packages/harness/images/source/: it
// serves the bare repositories under GIT_PROJECT_ROOT over Git's smart HTTP protocol, fetch only,
// by handing each request to `git http-backend` as a CGI program. go-git (Flux's source-controller)
// speaks only the smart protocol, so the dumb file endpoints and receive-pack are refused here,
// before git is involved. Self-contained (node: modules only): the image copies this one file.
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';

const root = process.env.GIT_PROJECT_ROOT ?? '/srv/git';
const port = Number(process.env.PORT ?? '8080');
const backend = process.env.GIT_HTTP_BACKEND ?? '/usr/lib/git-core/git-http-backend';

type Route =
  | { kind: 'git'; pathInfo: string }
  | { kind: 'health' }
  | { kind: 'refuse'; status: number; why: string };

const REPO = '/[A-Za-z0-9][A-Za-z0-9._-]*\\.git';
const ADVERTISE = new RegExp(`^(${REPO})/info/refs$`);
const UPLOAD = new RegExp(`^(${REPO})/git-upload-pack$`);

/** Which requests reach git: the two upload-pack endpoints of the smart protocol, nothing else. */
export function route(method: string, url: string): Route {
  const { pathname, searchParams } = new URL(url, 'http://source');
  if (pathname === '/healthz' && method === 'GET') return { kind: 'health' };
  if (pathname.includes('receive-pack') || searchParams.get('service') === 'git-receive-pack')
    return { kind: 'refuse', status: 403, why: 'this server is read-only: pushes are refused' };
  if (method === 'GET' && ADVERTISE.test(pathname)) {
    if (searchParams.get('service') !== 'git-upload-pack')
      return {
        kind: 'refuse',
        status: 403,
        why: 'only the smart protocol is served (service=git-upload-pack)',
      };
    return { kind: 'git', pathInfo: pathname };
  }
  if (method === 'POST' && UPLOAD.test(pathname)) return { kind: 'git', pathInfo: pathname };
  return { kind: 'refuse', status: 404, why: 'not a smart-HTTP upload-pack endpoint' };
}

/** The CGI environment (RFC 3875) git http-backend reads, plus config that only this server sets. */
function cgiEnv(req: IncomingMessage, pathInfo: string): NodeJS.ProcessEnv {
  const url = new URL(req.url ?? '/', 'http://source');
  const header = (name: string) => {
    const v = req.headers[name];
    return typeof v === 'string' ? v : undefined;
  };
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    LD_LIBRARY_PATH: process.env.LD_LIBRARY_PATH,
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
    REQUEST_METHOD: req.method,
    PATH_INFO: pathInfo,
    QUERY_STRING: url.search.slice(1),
    REMOTE_ADDR: req.socket.remoteAddress ?? '',
    CONTENT_TYPE: header('content-type') ?? '',
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    // No system or user config reaches git; the command-scope entries below are "protected"
    // configuration, the only place git honours safe.directory. The volume's files belong to the
    // host user, not to this process's UID, so ownership checks would refuse every repository.
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_COUNT: '2',
    GIT_CONFIG_KEY_0: 'safe.directory',
    GIT_CONFIG_VALUE_0: '*',
    GIT_CONFIG_KEY_1: 'http.receivepack',
    GIT_CONFIG_VALUE_1: 'false',
  };
  // Without CONTENT_LENGTH (a chunked request body) http-backend reads the body to its end.
  const length = header('content-length');
  if (length !== undefined) env.CONTENT_LENGTH = length;
  const encoding = header('content-encoding');
  if (encoding !== undefined) env.HTTP_CONTENT_ENCODING = encoding;
  // Protocol v2 is negotiated through this header; pass only the well-formed values git sends.
  const protocol = header('git-protocol');
  if (protocol !== undefined && /^[A-Za-z0-9=:._-]+$/.test(protocol)) env.GIT_PROTOCOL = protocol;
  return env;
}

/** Splits a CGI response into its status, headers and the first bytes of the body. */
export function parseCgiHead(head: string): { status: number; headers: [string, string][] } {
  let status = 200;
  const headers: [string, string][] = [];
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
    else headers.push([name, value]);
  }
  return { status, headers };
}

function runBackend(
  req: IncomingMessage,
  res: ServerResponse,
  pathInfo: string,
  done: (status: number) => void,
) {
  const child = spawn(backend, [], { env: cgiEnv(req, pathInfo), stdio: ['pipe', 'pipe', 'pipe'] });
  let head = Buffer.alloc(0);
  let headDone = false;
  let status = 500;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const text = head.toString('latin1');
    const end = /\r?\n\r?\n/.exec(text);
    if (!end) return;
    headDone = true;
    const parsed = parseCgiHead(text.slice(0, end.index));
    status = parsed.status;
    res.writeHead(status, parsed.headers);
    res.write(head.subarray(end.index + end[0].length));
  });
  child.stderr.on('data', (chunk: Buffer) => process.stderr.write(`git-http-backend: ${chunk}`));
  child.on('error', (err) => {
    process.stderr.write(`git-http-server: cannot run ${backend}: ${err.message}\n`);
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('git http-backend could not start\n');
    done(500);
  });
  child.on('close', (code) => {
    if (!headDone && !res.headersSent) {
      status = 500;
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.write(`git http-backend exited with ${code} before answering\n`);
    }
    res.end();
    done(status);
  });
  // The client may stop reading (or go away) before git is done: stop git too.
  res.on('close', () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  });
  child.stdin.on('error', () => {}); // git may exit before reading the whole body; its exit status tells
  req.pipe(child.stdin);
}

function handle(req: IncomingMessage, res: ServerResponse) {
  const started = Date.now();
  const log = (status: number) =>
    process.stdout.write(`${req.method} ${req.url} ${status} ${Date.now() - started}ms\n`);
  const r = route(req.method ?? 'GET', req.url ?? '/');
  if (r.kind === 'health') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    return;
  }
  if (r.kind === 'refuse') {
    req.resume();
    res.writeHead(r.status, { 'content-type': 'text/plain' }).end(`${r.why}\n`);
    log(r.status);
    return;
  }
  runBackend(req, res, r.pathInfo, log);
}

// Started as a program (the image's entrypoint), not when a test imports route().
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = createServer(handle);
  server.listen(port, () =>
    process.stdout.write(`git-http-server: listening on :${port}, serving ${root}\n`),
  );
  // PID 1 in a container gets no default signal handling: stop on SIGTERM/SIGINT ourselves.
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.on(signal, () => {
      server.close(() => process.exit(0));
      server.closeAllConnections();
    });
}
