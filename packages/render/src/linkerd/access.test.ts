import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { App, Platform } from '@meshproof/spec';
import { testSpec } from '../test-support.ts';
import { findApp } from '../workload/names.ts';
import { type AccessRoute, accessRoutes, coversPath } from './access.ts';

// What Gateway API precedence picks for a request among the inbound routes: the longest matching
// path prefix, then a route that matches the method over one that matches any method.
function chosen(routes: AccessRoute[], method: string, path: string): AccessRoute | undefined {
  const matching = routes.filter(
    (r) => coversPath(r.pathPrefix, path) && (r.method === undefined || r.method === method),
  );
  matching.sort(
    (a, b) => b.pathPrefix.length - a.pathPrefix.length || Number(!!b.method) - Number(!!a.method),
  );
  return matching[0];
}

// What the spec means: the caller has a call to the callee covering this method and path.
const allowedBySpec = (platform: Platform, caller: App, callee: App, method: string, path: string) =>
  caller.calls.some(
    (c) =>
      c.app === callee.name &&
      (c.methods === undefined || (c.methods as string[]).includes(method)) &&
      (c.paths === undefined || c.paths.some((p) => coversPath(p, path))),
  ) && platform.apps.includes(caller);

const overlapping = testSpec(['linkerd'], (spec) => {
  spec.apps.push(
    {
      name: 'reader',
      namespace: 'store',
      image: 'example/reader:1.0.0',
      versions: [{ name: 'v1', weight: 100 }],
      calls: [{ app: 'api', methods: ['GET', 'HEAD'] }],
    },
    {
      name: 'admin',
      namespace: 'ops',
      image: 'example/admin:1.0.0',
      versions: [{ name: 'v1', weight: 100 }],
      calls: [{ app: 'api', paths: ['/items/admin', '/health'] }],
    },
  );
});

test('path prefixes match whole segments, as Gateway API PathPrefix does', () => {
  assert.ok(coversPath('/', '/anything'));
  assert.ok(coversPath('/items', '/items'));
  assert.ok(coversPath('/items', '/items/42'));
  assert.ok(coversPath('/items/', '/items/42'));
  // A trailing slash of the prefix is ignored (Gateway API PathPrefix).
  assert.ok(coversPath('/items/', '/items'));
  assert.ok(!coversPath('/items/', '/itemsx'));
  assert.ok(!coversPath('/items', '/itemsx'));
  assert.ok(!coversPath('/items/42', '/items'));
});

test('the route a request lands on admits exactly the callers the spec allows to make it', () => {
  const api = findApp(overlapping, 'api') as App;
  const routes = accessRoutes(overlapping, api);
  const requests = [
    '/',
    '/items',
    '/items/1',
    '/items/admin',
    '/items/admin/x',
    '/health',
    '/healthz',
    '/other',
  ];
  let checked = 0;
  for (const caller of overlapping.apps) {
    for (const method of ['GET', 'HEAD', 'POST', 'DELETE']) {
      for (const path of requests) {
        const admitted = chosen(routes, method, path)?.callers.includes(caller) ?? false;
        assert.equal(
          admitted,
          allowedBySpec(overlapping, caller, api, method, path),
          `${caller.name} ${method} ${path}`,
        );
        checked++;
      }
    }
  }
  assert.ok(checked > 100);
  // The method-restricted reader never lands on a route without a method match.
  assert.ok(routes.every((r) => r.method !== undefined || !r.callers.some((c) => c.name === 'reader')));
});

test('callers without restrictions get one catch-all route; apps nobody calls get none', () => {
  const platform = testSpec(['linkerd']);
  const search = findApp(platform, 'search') as App;
  assert.deepEqual(
    accessRoutes(platform, search).map((r) => [r.pathPrefix, r.method, r.callers.map((c) => c.name)]),
    [['/', undefined, ['web']]],
  );
  assert.deepEqual(accessRoutes(platform, findApp(platform, 'web') as App), []);
});
