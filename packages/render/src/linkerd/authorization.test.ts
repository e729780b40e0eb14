// Linkerd's inbound objects under unusual paths (authorization.ts route names): every object keeps
// a name of its own, and the routes still admit exactly the spec's callers (Linkerd model).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appPods, type Obj } from '../test-pods.ts';
import { portlessApp, renderTestCluster } from '../test-support.ts';
import { APP_LABEL, PORT_NAME } from '../workload/names.ts';
import { linkerdVerdict } from './test-model.ts';

const LONG = '/catalogue/products/by-category/seasonal-promotions-and-offers';

const { all } = renderTestCluster<Obj>('linkerd', (s) => {
  const [web, api, search] = s.apps;
  assert.ok(web && api && search);
  api.canary = undefined;
  // `/a-b` and `/a/b` slug alike; LONG makes a name past the length the names keep to.
  web.calls = [{ app: 'api', methods: ['GET'], paths: ['/a-b', LONG] }];
  search.calls = [{ app: 'api', methods: ['GET'], paths: ['/a/b'] }];
});
const pods = appPods(all);
const pod = (app: string) => {
  const p = pods.find((x) => x.labels[APP_LABEL] === app);
  assert.ok(p);
  return p;
};

test('routes of paths that slug alike, or are long, get distinct short DNS names', () => {
  const routes = all.filter((o) => o.kind === 'HTTPRoute' && o.metadata?.namespace === 'store');
  const names = routes.map((o) => o.metadata?.name ?? '');
  assert.ok(routes.length >= 5, names.join(','));
  for (const name of names) assert.match(name, /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
  for (const kind of ['HTTPRoute', 'MeshTLSAuthentication', 'AuthorizationPolicy']) {
    const keys = all
      .filter((o) => o.kind === kind)
      .map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`);
    assert.equal(new Set(keys).size, keys.length, `${kind}: ${keys.join(', ')}`);
  }
});

test('each of those routes admits exactly its caller', () => {
  const api = pod('api');
  const verdict = (from: string, path: string) =>
    linkerdVerdict(
      all,
      { from: pod(from), to: api, port: api.port as number, method: 'GET', path },
      PORT_NAME,
    );
  assert.equal(verdict('web', '/a-b'), 'allowed');
  assert.equal(verdict('search', '/a-b'), 'forbidden');
  assert.equal(verdict('search', '/a/b'), 'allowed');
  assert.equal(verdict('web', '/a/b'), 'forbidden');
  assert.equal(verdict('web', `${LONG}/x`), 'allowed');
  assert.equal(verdict('search', LONG), 'forbidden');
});

// Route names a reader can map back to the spec: `<app>-<method or any>-<path slug>`, the slug the
// path's lowercase letters and digits with one dash per run of anything else; whole up to 54
// characters, past that cut to a readable 44 plus a hash.
const FIT = `/${'r'.repeat(46)}`; // api-get- + 46 = 54 characters
const OVER = `/${'o'.repeat(47)}`; // 55 characters
const named = renderTestCluster<Obj>('linkerd', (s) => {
  const [web, api, search] = s.apps;
  assert.ok(web && api && search);
  api.canary = undefined;
  web.calls = [{ app: 'api', methods: ['GET'], paths: ['/API/v1.2/_Orders', FIT, OVER] }];
  // No methods: a method-less route; no paths: the root.
  search.calls = [{ app: 'api' }];
  // Serves no port, only calls api.
  s.apps.push(portlessApp('worker', ['api']));
});

test('route names are readable: app, method (any without one), path slug; whole up to 54 characters', () => {
  const names = named.all
    .filter((o) => o.kind === 'HTTPRoute' && o.metadata?.namespace === 'store')
    .map((o) => o.metadata?.name ?? '');
  for (const name of [
    'api-get-api-v1-2-orders',
    'api-any-api-v1-2-orders',
    'api-get-root',
    'api-any-root',
    `api-get-${'r'.repeat(46)}`,
    `api-any-${'r'.repeat(46)}`,
  ])
    assert.ok(names.includes(name), `${name} not in ${names.join(', ')}`);
  const over = names.filter((n) => n.startsWith(`api-get-${'o'.repeat(36)}`));
  assert.equal(over.length, 1, names.join(', '));
  assert.match(over[0] ?? '', /^api-get-o{36}-[0-9a-f]{8}$/);
});

test('an app that serves no port gets no Server, route or authorization of its own', () => {
  const inJobs = named.all.filter(
    (o) => o.metadata?.namespace === 'jobs' && o.apiVersion?.includes('linkerd.io'),
  );
  const gatewayRoutes = named.all.filter((o) => o.kind === 'HTTPRoute' && o.metadata?.namespace === 'jobs');
  assert.deepEqual(
    [...inJobs, ...gatewayRoutes].map((o) => `${o.kind}/${o.metadata?.name}`),
    [],
  );
  // Its calls are still admitted where it calls.
  const callers = named.all.find(
    (o) => o.kind === 'MeshTLSAuthentication' && o.metadata?.name === 'api-any-root',
  );
  assert.ok(callers);
  const refs = callers.spec.identityRefs as { name: string; namespace: string }[];
  assert.ok(refs.some((r) => r.name === 'worker' && r.namespace === 'jobs'));
});
