// Linkerd's inbound objects under unusual paths (authorization.ts route names): every object keeps
// a name of its own, and the routes still admit exactly the spec's callers (Linkerd model).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appPods, type Obj } from '../test-pods.ts';
import { renderTestCluster } from '../test-support.ts';
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
