// The proxy pair that stands in for two sidecars: HAProxy A takes plaintext from the client and
// opens mutual TLS to HAProxy B with the client certificate; B requires and verifies that
// certificate against the throwaway CA and forwards plaintext to the backend. Both run in TCP
// mode (an L4 hop, like ztunnel; no HTTP parsing), one thread each, on 127.0.0.1 ports picked
// at run time. Directives per the HAProxy 2.6 configuration manual (bind/server `ssl`, `crt`,
// `ca-file`, `verify required`, `verifyhost`, `sni`, `ssl-min-ver`).
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Leaf, type Pki, SERVER_NAME } from './certs.ts';
import { freePort, run, ToolMissingError, waitForPort } from './exec.ts';

export const HAPROXY_INSTALL_HINT =
  'the local benchmark needs HAProxy: on Debian/Ubuntu run `apt-get install haproxy` (CI installs it in scripts/ci-setup.sh)';

/** `haproxy -v`'s first line, e.g. "HAProxy version 2.6.12-1+deb12u4 2026/10/17"; throws ToolMissingError. */
export async function haproxyVersion(): Promise<string> {
  const out = await run('haproxy', ['-v']);
  return (out.split('\n')[0] ?? '').replace(/ - https?:\S+$/, '').trim();
}

const globalSection = (): string[] => [
  'global',
  '  nbthread 1',
  '  maxconn 4000',
  // TLS 1.3 only, as the meshes negotiate between their proxies.
  '  ssl-default-bind-options ssl-min-ver TLSv1.3',
  '  ssl-default-server-options ssl-min-ver TLSv1.3',
  'defaults',
  '  mode tcp',
  // Generous: on a starved machine a SYN dropped from a full accept queue is resent after 1, 3, 7 s.
  '  timeout connect 30s',
  '  timeout client 120s',
  '  timeout server 120s',
];

/** Proxy A: plaintext in, mutual TLS out (presents `client`, verifies B's name against the CA). */
export function proxyAConfig(listenPort: number, upstreamPort: number, ca: string, client: Leaf): string {
  return [
    ...globalSection(),
    'frontend plaintext_in',
    `  bind 127.0.0.1:${listenPort}`,
    '  default_backend mtls_out',
    'backend mtls_out',
    `  server proxy_b 127.0.0.1:${upstreamPort} ssl crt ${client.pem} ca-file ${ca} verify required verifyhost ${SERVER_NAME} sni str(${SERVER_NAME})`,
    '',
  ].join('\n');
}

/** Proxy B: mutual TLS in (a client certificate signed by the CA is required), plaintext out. */
export function proxyBConfig(listenPort: number, backendPort: number, ca: string, server: Leaf): string {
  return [
    ...globalSection(),
    'frontend mtls_in',
    `  bind 127.0.0.1:${listenPort} ssl crt ${server.pem} ca-file ${ca} verify required`,
    '  default_backend plaintext_out',
    'backend plaintext_out',
    `  server app 127.0.0.1:${backendPort}`,
    '',
  ].join('\n');
}

export type Proxy = {
  name: string;
  port: number;
  config: string;
  pid: number | undefined;
  log(): string;
  stop(): Promise<void>;
};

/** Starts one HAProxy in the foreground on a fresh port; retries when another process took the port first. */
export async function startProxy(
  dir: string,
  name: string,
  configFor: (port: number) => string,
): Promise<Proxy> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const config = configFor(port);
    const file = join(dir, `${name}.cfg`);
    await writeFile(file, config);
    try {
      return await launch(name, port, file, config);
    } catch (error) {
      if (attempt >= 3 || !/cannot bind|Address already in use/i.test(String(error))) throw error;
    }
  }
}

async function launch(name: string, port: number, file: string, config: string): Promise<Proxy> {
  // -db: stay in the foreground so the child is HAProxy itself and dies with a signal from us.
  const child: ChildProcess = spawn('haproxy', ['-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  let exit: string | undefined;
  let spawnError: NodeJS.ErrnoException | undefined;
  child.stdout?.on('data', (c) => (log += c));
  child.stderr?.on('data', (c) => (log += c));
  child.once('error', (e) => (spawnError = e));
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = `${name} (haproxy) exited (${signal ?? code}): ${log.trim().slice(-800)}`;
      resolve();
    }),
  );
  const stop = async () => {
    if (exit === undefined) child.kill('SIGTERM');
    await exited;
  };
  try {
    await waitForPort(port, 5000, () => {
      if (spawnError?.code === 'ENOENT') throw new ToolMissingError('haproxy');
      return spawnError ? String(spawnError) : exit;
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { name, port, config, pid: child.pid, log: () => log, stop };
}

export type ProxyPair = { a: Proxy; b: Proxy; stop(): Promise<void> };

/** Starts B then A in front of 127.0.0.1:backendPort; the client connects to `a.port`. */
export async function startProxyPair(
  dir: string,
  pki: Pki,
  backendPort: number,
  client: Leaf = pki.client,
): Promise<ProxyPair> {
  const b = await startProxy(dir, 'proxy-b', (port) =>
    proxyBConfig(port, backendPort, pki.ca.cert, pki.server),
  );
  let a: Proxy;
  try {
    a = await startProxy(dir, 'proxy-a', (port) => proxyAConfig(port, b.port, pki.ca.cert, client));
  } catch (error) {
    await b.stop();
    throw error;
  }
  return { a, b, stop: async () => void (await Promise.all([a.stop(), b.stop()])) };
}
