import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Finding, runChecks } from '@meshproof/doctor';
import type { K8sObject } from '@meshproof/render';
import { loadPlatform } from '@meshproof/spec';
import { stringify } from 'yaml';
import { probeWorkloads } from './matrix.ts';
import { OUTSIDE_NAMESPACE, OUTSIDER, PROBE_LABEL, probeWorkloadObjects, STRANGER } from './workloads.ts';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const loaded = await loadPlatform(join(root, 'meshproof.config.ts'));
assert.ok(loaded.ok);
const platform = loaded.platform;

type Pod = K8sObject & {
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  spec: {
    serviceAccountName: string;
    securityContext: Record<string, unknown>;
    containers: { command: string[]; ports?: unknown; securityContext: Record<string, unknown> }[];
  };
};

function objects(clusterName: string) {
  const cluster = platform.clusters.find((c) => c.name === clusterName);
  assert.ok(cluster);
  return probeWorkloadObjects(
    platform,
    cluster,
    probeWorkloads(platform, cluster),
    'meshproof/backend:0.1.0',
  );
}

const serialize = (list: K8sObject[]) => list.map((o) => stringify(o)).join('---\n');
const names = (list: K8sObject[]) =>
  list.map((o) => `${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`);
const pod = (list: K8sObject[], name: string) =>
  list.find((o) => o.kind === 'Pod' && o.metadata?.name === name) as Pod;

test('what the probes add per mesh: an outsider namespace and pod, a stranger in the app namespace', () => {
  const common = [
    `Namespace /${OUTSIDE_NAMESPACE}`,
    `ServiceAccount ${OUTSIDE_NAMESPACE}/${OUTSIDER}`,
    `Pod ${OUTSIDE_NAMESPACE}/${OUTSIDER}`,
    `ServiceAccount shop/${STRANGER}`,
  ];
  // Where the namespace's default deny covers egress, the stranger may leave towards the targets.
  assert.deepEqual(names(objects('kind-baseline')), [
    ...common,
    `NetworkPolicy shop/${STRANGER}-egress`,
    `Pod shop/${STRANGER}`,
  ]);
  assert.deepEqual(names(objects('kind-cilium')), [
    ...common,
    `CiliumNetworkPolicy shop/${STRANGER}-egress`,
    `Pod shop/${STRANGER}`,
  ]);
  for (const c of ['kind-istio-ambient', 'kind-istio-sidecar', 'kind-linkerd']) {
    assert.deepEqual(names(objects(c)), [...common, `Pod shop/${STRANGER}`], c);
  }
  for (const c of platform.clusters) {
    for (const o of objects(c.name))
      assert.ok(o.metadata?.labels?.[PROBE_LABEL], `${c.name} ${o.kind} is marked`);
  }
});

test('the outsider is kept out of each mesh explicitly; its namespace enrols nothing', () => {
  const meta = (c: string) => {
    const p = pod(objects(c), OUTSIDER);
    return { labels: p.metadata.labels, annotations: p.metadata.annotations };
  };
  assert.equal(meta('kind-istio-sidecar').labels['sidecar.istio.io/inject'], 'false');
  assert.equal(meta('kind-istio-ambient').labels['istio.io/dataplane-mode'], 'none');
  assert.equal(meta('kind-linkerd').annotations['linkerd.io/inject'], 'disabled');
  const ns = objects('kind-istio-ambient')[0];
  assert.deepEqual(ns?.metadata?.labels, {
    'pod-security.kubernetes.io/enforce': 'restricted',
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/warn': 'restricted',
    [PROBE_LABEL]: 'plaintext',
  });
});

test('probe pods: restricted Pod Security, own ServiceAccount, idle, no port', () => {
  for (const c of platform.clusters) {
    for (const name of [OUTSIDER, STRANGER]) {
      const p = pod(objects(c.name), name);
      assert.equal(p.spec.serviceAccountName, name);
      assert.deepEqual(p.spec.securityContext, {
        runAsNonRoot: true,
        runAsUser: 65532,
        runAsGroup: 65532,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      const [container] = p.spec.containers;
      assert.deepEqual(container?.securityContext, {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        privileged: false,
        capabilities: { drop: ['ALL'] },
      });
      assert.equal(container?.ports, undefined);
      assert.equal(container?.command[0], '/nodejs/bin/node');
    }
  }
});

test('next to the rendered cluster, the probe objects pass the doctor: no finding they add', async () => {
  for (const c of platform.clusters) {
    const dir = mkdtempSync(join(tmpdir(), 'meshproof-probe-doctor-'));
    try {
      cpSync(join(root, 'clusters', c.name), join(dir, 'clusters', c.name), { recursive: true });
      const key = (f: Finding) => `${f.id} ${f.file}:${f.line} ${f.message}`;
      const before = new Set(
        (await runChecks({ paths: [`clusters/${c.name}`], cwd: dir })).findings.map(key),
      );
      writeFileSync(join(dir, 'clusters', c.name, 'probe-workloads.yaml'), serialize(objects(c.name)));
      const after = await runChecks({ paths: [`clusters/${c.name}`], cwd: dir });
      assert.deepEqual(
        after.findings.map(key).filter((k) => !before.has(k)),
        [],
        c.name,
      );
      assert.ok(after.objects > objects(c.name).length, 'the probe objects were read with the cluster');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
