import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { existingTarget } from './existing.ts';

const dir = mkdtempSync(join(tmpdir(), 'meshproof-kubeconfig-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const kubeconfig = (context: string) => {
  const file = join(dir, `${context}.yaml`);
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: ${context}, context: {cluster: c, user: u}}]
current-context: ${context}
`,
  );
  return file;
};

test('a context named after the cluster is accepted; another needs --yes; a bad file is named', () => {
  const staging = kubeconfig('staging-eu');
  assert.deepEqual(
    existingTarget(kubeconfig('kind-kind-linkerd'), 'kind-linkerd', false).context,
    'kind-kind-linkerd',
  );
  assert.throws(
    () => existingTarget(staging, 'kind-linkerd', false),
    /current context "staging-eu" is not named after cluster "kind-linkerd".*--yes/,
  );
  assert.deepEqual(existingTarget(staging, 'kind-linkerd', true), {
    kubeconfig: staging,
    context: 'staging-eu',
  });
  assert.throws(
    () => existingTarget(join(dir, 'nope.yaml'), 'x', true),
    /cannot read kubeconfig .*nope\.yaml/,
  );
});
