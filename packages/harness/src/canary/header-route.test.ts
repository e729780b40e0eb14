import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadPlatform } from '@meshproof/spec';
import type { RequestEvidence } from '../probes/evidence.ts';
import type { TaskAction } from '../step.ts';
import { judgeHeaderRoute } from './header-route.ts';
import { HEADER_ROUTE, headerRouteSteps, ROUTE_REQUESTS } from './header-route-steps.ts';

const answer = (version?: string, status = 200): RequestEvidence => ({
  method: 'GET',
  url: 'http://catalog.shop.svc.cluster.local:8080/',
  connected: true,
  phase: 'done',
  status,
  headers: version ? { 'x-app-version': version } : {},
  body: '',
  bodyBytes: 0,
  timings: { totalMs: 1 },
});
const times = (n: number, e: RequestEvidence) => Array.from({ length: n }, () => e);
const expect = { header: { 'x-version': 'v2' }, matched: 'v2', weighted: ['v1'] };

test('pass: every request with the header reaches the matched version, none without it', () => {
  const v = judgeHeaderRoute(expect, times(5, answer('v2')), times(5, answer('v1')), 5);
  assert.deepEqual(v, { passed: true, withHeader: { v2: 5 }, withoutHeader: { v1: 5 }, problems: [] });
});

test('one stray answer either way, an error or a missing answer fails, naming the counts', () => {
  const stray = judgeHeaderRoute(
    expect,
    [...times(4, answer('v2')), answer('v1')],
    times(5, answer('v1')),
    5,
  );
  assert.deepEqual(stray.problems, ['with x-version: v2: v1 1, v2 4; every request must reach v2']);
  const leak = judgeHeaderRoute(expect, times(5, answer('v2')), [...times(4, answer('v1')), answer('v2')], 5);
  assert.deepEqual(leak.problems, [
    'without x-version: v2: v1 4, v2 1; requests must reach only v1 (the versions with weight)',
  ]);
  // A 503 from a proxy may carry the app's header when the app itself failed: it is no version.
  const failed = judgeHeaderRoute(
    expect,
    [...times(4, answer('v2')), answer('v2', 503)],
    times(5, answer('v1')),
    5,
  );
  assert.match(failed.problems.join(), /v2 4, none 1|none 1, v2 4/);
  const short = judgeHeaderRoute(expect, times(4, answer('v2')), times(5, answer('v1')), 5);
  assert.deepEqual(short.problems, ['expected 5 answers each way, got 4 with the header and 5 without']);
});

test('a route to a version that also has weight: without the header any weighted version may answer', () => {
  const v = judgeHeaderRoute(
    { header: { 'x-version': 'v1' }, matched: 'v1', weighted: ['v1', 'v2'] },
    times(3, answer('v1')),
    [answer('v1'), answer('v2'), answer('v1')],
    3,
  );
  assert.equal(v.passed, true);
});

const loaded = await loadPlatform(new URL('../../../../meshproof.config.ts', import.meta.url).pathname);
assert.ok(loaded.ok);
const platform = loaded.platform;
const target = { kubeconfig: '.e2e/r1/kubeconfig', context: 'kind-c' };

test('default spec: one step per cluster for catalog, skipped with the reason where the mesh cannot route by header', () => {
  for (const cluster of platform.clusters) {
    const steps = headerRouteSteps(platform, cluster, target);
    assert.deepEqual(
      steps.map((s) => [s.id, s.onFailure]),
      [[`${cluster.name}/routes/catalog-0`, 'continue']],
    );
    const [s] = steps;
    assert.ok(s);
    // The timeout (the plan prints it after the title) with what it is made of.
    assert.equal(s.timeoutMs, 2 * ROUTE_REQUESTS * 2000 + 60_000);
    assert.match(s.title, /\(bound: 2 × 50 requests × 2s at worst \+ 1m for kubectl exec\)$/);
    if (cluster.mesh === 'none') {
      assert.equal(
        s.skip,
        'apps[2].routes is not applied on kind-baseline (none): header and path routes need a proxy; no proxy sits in the request path without a mesh; kind-baseline/canary/backend-promotion checks that no request reaches the canary during the blue/green analysis',
      );
    } else assert.equal(s.skip, undefined);
    const action = s.actions[0] as TaskAction;
    assert.equal(action.name, HEADER_ROUTE);
    const { argv, ...rest } = action.args;
    assert.deepEqual(rest, {
      app: 'catalog',
      namespace: 'shop',
      client: 'frontend',
      header: { 'x-version': 'v2' },
      matched: 'v2',
      weighted: ['v1'],
      requests: ROUTE_REQUESTS,
    });
    const exec = [
      'kubectl',
      '--kubeconfig',
      '.e2e/r1/kubeconfig',
      '--context',
      'kind-c',
      'exec',
      '-n',
      'shop',
      'deploy/frontend-v1',
      '-c',
      'frontend',
      '--',
      '/nodejs/bin/node',
      '/app/probe.mjs',
      '--method',
      'GET',
      '--url',
      'http://catalog.shop.svc.cluster.local:8080/',
      '--timeout-ms',
      '2000',
      '--count',
      '50',
    ];
    assert.deepEqual(argv, { withHeader: [...exec, '--header', 'x-version:v2'], withoutHeader: exec });
  }
});

test('a route nobody calls is planned as skipped, saying so', () => {
  const edited = structuredClone(platform);
  for (const app of edited.apps) app.calls = app.calls.filter((c) => c.app !== 'catalog');
  const cluster = edited.clusters.find((c) => c.mesh === 'linkerd');
  assert.ok(cluster);
  const [s] = headerRouteSteps(edited, cluster, target);
  assert.equal(s?.skip, 'no app of the spec calls catalog: nothing inside the mesh can send the requests');
});
