// How "selects nothing" is graded: an error only when the checked files are the whole cluster and the
// namespace's pods would be among them.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runChecks } from '../engine.ts';
import { selectorChecks } from './selectors.ts';

const DIR = join(import.meta.dirname, '..', 'false-alarms', 'selectors');

async function sel001(path: string, complete = false) {
  const r = await runChecks({ paths: [path], cwd: DIR, checks: selectorChecks, complete });
  return r.findings.map((f) => `${f.object} ${f.severity}`).sort();
}

test('a Service selecting no pod is an error in the whole cluster folder, a warning in part of it', async () => {
  assert.deepEqual(await sel001('clusters/demo'), [
    'Service kube-system/dns-extra warning',
    'Service shop/api error',
  ]);
  assert.deepEqual(await sel001('clusters/demo/apps'), ['Service shop/api warning']);
  // Loose files, told they are the whole tree: kube-system still gets its pods from elsewhere.
  assert.deepEqual(await sel001('clusters/demo/system', true), ['Service kube-system/dns-extra warning']);
});

test('the message names the selector, the namespace and the pods that are there', async () => {
  const r = await runChecks({ paths: ['clusters/demo'], cwd: DIR, checks: selectorChecks });
  const api = r.findings.find((f) => f.object === 'Service shop/api');
  assert.equal(
    api?.message,
    'Service shop/api selects no pod: nothing in namespace shop has app=api; pods there: Deployment shop/web (app=web)',
  );
  assert.equal(`${api?.file}:${api?.line}:${api?.col}`, 'clusters/demo/apps/svc.yaml:6:3');
  const dns = r.findings.find((f) => f.object === 'Service kube-system/dns-extra');
  assert.match(dns?.message ?? '', /files run no pods in kube-system, so they may come from elsewhere/);
});
