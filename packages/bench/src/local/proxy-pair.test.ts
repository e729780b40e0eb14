// The proxy pair for real: HAProxy A and B doing mutual TLS on loopback in front of a small HTTP
// server, and B refusing a client certificate from another CA, no certificate, and plaintext.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, get } from 'node:http';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import { issue, makeCa, makePki, type Pki, SERVER_NAME } from './certs.ts';
import { type ProxyPair, startProxyPair } from './haproxy.ts';

const server = createServer((req, res) => res.end(`hello ${req.url}`));
let dir: string;
let pki: Pki;
let pair: ProxyPair;
let backendPort: number;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshproof-proxy-test-'));
  pki = await makePki(dir);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  backendPort = (server.address() as { port: number }).port;
  pair = await startProxyPair(dir, pki, backendPort);
});
after(async () => {
  await pair?.stop();
  server.close();
  await rm(dir, { recursive: true, force: true });
});

function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

/** Sends one HTTP request over TLS straight to proxy B and returns what comes back (or the error). */
function overTls(opts: { cert?: string; key?: string }): Promise<string> {
  return new Promise((resolve) => {
    const socket = tlsConnect({
      host: '127.0.0.1',
      port: pair.b.port,
      servername: SERVER_NAME,
      ca: [pkiCa],
      ...opts,
    });
    let got = '';
    socket.on('secureConnect', () =>
      socket.write('GET /direct HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
    );
    socket.on('data', (c) => (got += c));
    socket.on('error', (e) => resolve(`error: ${e.message}`));
    socket.on('close', () => resolve(got || 'closed without a response'));
  });
}
let pkiCa: string;

describe('HAProxy mTLS pair', () => {
  test('a request through A and B reaches the backend', async () => {
    const res = await httpGet(pair.a.port, '/through-the-pair');
    assert.equal(res.status, 200);
    assert.equal(res.body, 'hello /through-the-pair');
  });

  test('B answers a client that presents the CA-signed client certificate', async () => {
    pkiCa = await readFile(pki.ca.cert, 'utf8');
    const got = await overTls({
      cert: await readFile(pki.client.cert, 'utf8'),
      key: await readFile(pki.client.key, 'utf8'),
    });
    assert.match(got, /^HTTP\/1\.1 200/);
  });

  test('B rejects a client certificate from another CA, no certificate, and plaintext', async () => {
    pkiCa = await readFile(pki.ca.cert, 'utf8');
    const rogueCa = await makeCa(dir, 'rogue-ca');
    const rogue = await issue(dir, rogueCa, 'rogue-client', 'client');
    const wrong = await overTls({
      cert: await readFile(rogue.cert, 'utf8'),
      key: await readFile(rogue.key, 'utf8'),
    });
    assert.doesNotMatch(wrong, /HTTP\/1\.1/);
    assert.match(wrong, /alert unknown ca/, 'B must reject a certificate its CA did not sign');
    const none = await overTls({});
    assert.doesNotMatch(none, /HTTP\/1\.1/);
    assert.match(none, /alert certificate required/, 'B must require a client certificate');
    const plain = await new Promise<string>((resolve) => {
      const s = netConnect(pair.b.port, '127.0.0.1', () => s.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
      let got = '';
      s.on('data', (c) => (got += c));
      s.on('error', () => resolve(got));
      s.on('close', () => resolve(got));
    });
    assert.doesNotMatch(plain, /hello/);
  });

  test('a proxy A holding a certificate from another CA gets nothing through B', async () => {
    const rogueCa = await makeCa(dir, 'rogue-ca-2');
    const rogue = await issue(dir, rogueCa, 'rogue-proxy-a', 'client');
    const rogueDir = await mkdtemp(join(tmpdir(), 'meshproof-proxy-rogue-'));
    const roguePair = await startProxyPair(rogueDir, pki, backendPort, rogue);
    try {
      const outcome = await httpGet(roguePair.a.port, '/x').then(
        (r) => `status ${r.status}`,
        (e: Error) => `error ${e.message}`,
      );
      assert.match(outcome, /^error /, `expected the request to fail, got ${outcome}`);
    } finally {
      await roguePair.stop();
      await rm(rogueDir, { recursive: true, force: true });
    }
  });
});
