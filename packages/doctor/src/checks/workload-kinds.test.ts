// Workload checks read pod templates wherever the API server accepts them: every built-in workload
// kind and version that still exists, and the removed ones (which KUB001 reports besides).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runChecks } from '../engine.ts';

const CONTAINER = `containers:
  - name: app
    image: ghcr.io/example/app:1.0.0
    securityContext: {privileged: true}
    ports: [{name: Bad_Name, containerPort: 8080}]`;

const indent = (text: string, n: number): string =>
  text
    .split('\n')
    .map((l) => ' '.repeat(n) + l)
    .join('\n');

const template = (n: number): string =>
  `${' '.repeat(n)}template:\n${' '.repeat(n + 2)}metadata: {labels: {app: x}}\n${' '.repeat(n + 2)}spec:\n${indent(CONTAINER, n + 4)}`;

const WORKLOADS: Record<string, string> = {
  'apps/v1 Deployment': `spec:\n  selector: {matchLabels: {app: x}}\n${template(2)}`,
  'apps/v1 StatefulSet': `spec:\n  serviceName: x\n  selector: {matchLabels: {app: x}}\n${template(2)}`,
  'apps/v1 DaemonSet': `spec:\n  selector: {matchLabels: {app: x}}\n${template(2)}`,
  'apps/v1 ReplicaSet': `spec:\n  selector: {matchLabels: {app: x}}\n${template(2)}`,
  'batch/v1 Job': `spec:\n${template(2)}`,
  'batch/v1 CronJob': `spec:\n  schedule: "0 * * * *"\n  jobTemplate:\n    spec:\n${template(6)}`,
  'v1 ReplicationController': `spec:\n  selector: {app: x}\n${template(2)}`,
  'v1 PodTemplate': template(0),
  'v1 Pod': `spec:\n${indent(CONTAINER, 2)}`,
  'extensions/v1beta1 Deployment': `spec:\n${template(2)}`,
  'apps/v1beta2 StatefulSet': `spec:\n  selector: {matchLabels: {app: x}}\n${template(2)}`,
};

const dir = mkdtempSync(join(tmpdir(), 'meshproof-kinds-'));
after(() => rmSync(dir, { recursive: true, force: true }));

for (const [what, body] of Object.entries(WORKLOADS)) {
  test(`workload checks apply to ${what}`, async () => {
    const [apiVersion, kind] = what.split(' ');
    const file = join(dir, `${what.replace(/[^a-z0-9]+/gi, '-')}.yaml`);
    writeFileSync(
      file,
      `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: x, namespace: app}\n${body}\n`,
    );
    const r = await runChecks({ paths: [file], cwd: dir });
    assert.equal(r.objects, 1);
    const ids = new Set(r.findings.map((f) => f.id));
    for (const id of ['SEC011', 'KUB003'])
      assert.ok(ids.has(id), `${what}: no ${id} in ${[...ids].join(', ')}`);
    assert.equal(ids.has('KUB001'), /v1beta/.test(String(apiVersion)), `${what}: KUB001`);
    assert.ok(!ids.has('KUB002'), `${what}: its selector matches its template`);
    assert.ok(!ids.has('YAML001') && !ids.has('OBJ001'));
  });
}
