// Who may call whom on Linkerd: Servers, routes and authentications (see ../test-who-may-call-whom.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from '../test-pods.ts';
import {
  describeWhoMayCallWhom,
  enforcement,
  prometheusReadsMetrics,
  world,
} from '../test-who-may-call-whom.ts';
import { APP_LABEL, PORT_NAME } from '../workload/names.ts';
import { linkerdVerdict } from './test-model.ts';

describeWhoMayCallWhom('linkerd');
prometheusReadsMetrics('linkerd', true);

test('linkerd: a request no call covers has no route (404); a covered one by another caller is forbidden (403)', () => {
  const w = world(enforcement('linkerd'));
  const pod = (app: string) => w.apps.find((p) => p.labels[APP_LABEL] === app) as (typeof w.apps)[number];
  const verdict = (from: Pod, to: Pod & { port?: number }, method: string, path: string) =>
    linkerdVerdict(w.all, { from, to, port: to.port ?? 0, method, path }, PORT_NAME);
  // api: web GETs /items; admin POSTs/DELETEs /items/admin and /health/; the loadtester GETs anything.
  assert.equal(verdict(pod('web'), pod('api'), 'GET', '/items/1'), 'allowed');
  assert.equal(verdict(pod('admin'), pod('api'), 'GET', '/items/1'), 'forbidden');
  assert.equal(verdict(pod('web'), pod('api'), 'POST', '/items/admin'), 'forbidden');
  assert.equal(verdict(pod('admin'), pod('api'), 'POST', '/items/admin/x'), 'allowed');
  assert.equal(verdict(pod('admin'), pod('api'), 'POST', '/other'), 'no-route');
  assert.equal(verdict(pod('web'), pod('api'), 'PUT', '/items'), 'no-route');
  // admin has a port and no callers: its Server has no caller route at all.
  assert.equal(verdict(pod('web'), pod('admin'), 'GET', '/'), 'no-route');
});
