import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCgiHead, route } from './git-http-server.ts';

test('only the smart upload-pack endpoints reach git; pushes and the dumb protocol are refused', () => {
  assert.deepEqual(route('GET', '/meshproof.git/info/refs?service=git-upload-pack'), {
    kind: 'git',
    pathInfo: '/meshproof.git/info/refs',
  });
  assert.deepEqual(route('POST', '/meshproof.git/git-upload-pack'), {
    kind: 'git',
    pathInfo: '/meshproof.git/git-upload-pack',
  });
  assert.equal(route('GET', '/healthz').kind, 'health');
  const refused = (method: string, url: string) => {
    const r = route(method, url);
    return r.kind === 'refuse' ? r.status : r.kind;
  };
  assert.equal(refused('GET', '/meshproof.git/info/refs?service=git-receive-pack'), 403);
  assert.equal(refused('POST', '/meshproof.git/git-receive-pack'), 403);
  assert.equal(refused('GET', '/meshproof.git/info/refs'), 403, 'dumb protocol');
  assert.equal(refused('GET', '/meshproof.git/HEAD'), 404);
  assert.equal(refused('GET', '/meshproof.git/objects/info/packs'), 404);
  // Dot segments are resolved before matching, so a path never leaves GIT_PROJECT_ROOT.
  assert.deepEqual(route('GET', '/../%2e%2e/x.git/info/refs?service=git-upload-pack'), {
    kind: 'git',
    pathInfo: '/x.git/info/refs',
  });
  assert.equal(refused('GET', '/a/b.git/info/refs?service=git-upload-pack'), 404);
  assert.equal(refused('POST', '/meshproof.git/info/refs?service=git-upload-pack'), 404);
});

test('a CGI response head gives the status and the headers', () => {
  assert.deepEqual(parseCgiHead('Status: 403 Forbidden\r\nContent-Type: text/plain'), {
    status: 403,
    headers: [['Content-Type', 'text/plain']],
  });
  assert.deepEqual(
    parseCgiHead('Content-Type: application/x-git-upload-pack-advertisement\nCache-Control: no-cache'),
    {
      status: 200,
      headers: [
        ['Content-Type', 'application/x-git-upload-pack-advertisement'],
        ['Cache-Control', 'no-cache'],
      ],
    },
  );
});
