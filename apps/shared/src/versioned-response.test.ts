// The header is on every response, whichever way a handler writes its head, and nothing else changes.
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { responseWithHeader } from './versioned-response.ts';

// A handler's ready answer, given again on every request.
const frozen = Object.freeze({ 'content-type': 'text/plain', 'x-z': '8' });
const other = Object.freeze({ 'content-type': 'text/html', 'x-z': '9' });

const writers: Record<string, (res: ServerResponse) => void> = {
  '/frozen': (res) => res.writeHead(200, frozen).end(),
  '/other': (res) => res.writeHead(200, other).end(),
  '/implicit': (res) => res.end('a'),
  '/status-code': (res) => {
    res.statusCode = 201;
    res.setHeader('x-set', 'yes');
    res.end('b');
  },
  '/head-only': (res) => res.writeHead(204).end(),
  '/object': (res) => res.writeHead(202, { 'content-type': 'text/plain', 'x-o': '1' }).end('c'),
  '/reason': (res) => res.writeHead(418, 'Short And Stout', { 'x-r': '2' }).end(),
  '/reason-only': (res) => res.writeHead(299, 'Fine').end(),
  '/flat': (res) => res.writeHead(200, ['x-f', '3', 'x-g', '4']).end(),
  '/pairs': (res) => res.writeHead(200, [['x-p', '5']]).end(),
  '/own': (res) => {
    res.setHeader('x-app-version', 'own');
    res.writeHead(200, { 'x-o': '7' }).end();
  },
  '/own-in-head': (res) => res.writeHead(200, { 'x-app-version': 'mine' }).end(),
  '/after-set': (res) => {
    res.setHeader('x-set', 'first');
    res.writeHead(200, { 'x-o': '6' }).end();
  },
};

const server = createServer(
  { ServerResponse: responseWithHeader('x-app-version', 'v3') },
  (req: IncomingMessage, res: ServerResponse) => writers[req.url ?? '']?.(res),
);
let port = 0;
before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

function head(path: string): Promise<{ status: number; message: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, message: res.statusMessage ?? '', headers: res.headers }),
      );
    }).on('error', reject);
  });
}

test('x-app-version on every way of writing a head, other headers and reasons intact', async () => {
  const expected: Record<string, [number, Record<string, string>, string?]> = {
    '/implicit': [200, {}],
    '/status-code': [201, { 'x-set': 'yes' }],
    '/head-only': [204, {}],
    '/object': [202, { 'content-type': 'text/plain', 'x-o': '1' }],
    '/reason': [418, { 'x-r': '2' }, 'Short And Stout'],
    '/reason-only': [299, {}, 'Fine'],
    '/flat': [200, { 'x-f': '3', 'x-g': '4' }],
    '/pairs': [200, { 'x-p': '5' }],
    '/after-set': [200, { 'x-set': 'first', 'x-o': '6' }],
  };
  // A handler that sets the header itself wins, as it did over an earlier setHeader.
  assert.equal((await head('/own')).headers['x-app-version'], 'own');
  assert.equal((await head('/own')).headers['x-o'], '7');
  assert.equal((await head('/own-in-head')).headers['x-app-version'], 'mine');
  for (const [path, [status, headers, message]] of Object.entries(expected)) {
    const res = await head(path);
    assert.equal(res.status, status, path);
    assert.equal(res.headers['x-app-version'], 'v3', path);
    for (const [name, value] of Object.entries(headers))
      assert.equal(res.headers[name], value, `${path} ${name}`);
    if (message) assert.equal(res.message, message, path);
  }
});

test('a frozen headers object gets the header on every use and is left as it was', async () => {
  for (const path of ['/frozen', '/frozen', '/other', '/frozen', '/other', '/other', '/object', '/frozen']) {
    const res = await head(path);
    const [type, z] = {
      '/frozen': ['text/plain', '8'],
      '/other': ['text/html', '9'],
      '/object': ['text/plain', undefined],
    }[path] as [string, string | undefined];
    assert.deepEqual(
      [res.headers['x-app-version'], res.headers['content-type'], res.headers['x-z']],
      ['v3', type, z],
      path,
    );
  }
  assert.deepEqual(Object.keys(frozen), ['content-type', 'x-z']);
  assert.deepEqual(Object.keys(other), ['content-type', 'x-z']);
  assert.ok(Object.isFrozen(frozen));
});
