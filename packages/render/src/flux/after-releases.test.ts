import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IHelmRelease } from '@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2/HelmRelease';
import { meshPlugin } from '../meshes.ts';
import type { K8sObject } from '../model.ts';
import { registeredMeshes, renderTestCluster } from '../test-support.ts';
import { afterReleases } from './after-releases.ts';
import { helmRelease } from './helm.ts';

const release = (name: string, namespace: string) =>
  helmRelease({ name, namespace, repository: 'r', chart: name, version: '1.0.0' }) as K8sObject;

test('each release waits for every earlier release, keeping its own dependencies', () => {
  const mine = helmRelease({
    name: 'b',
    namespace: 'x',
    repository: 'r',
    chart: 'b',
    version: '1.0.0',
    dependsOn: ['a'],
  });
  const [out] = afterReleases([mine as K8sObject], [release('mesh', 'mesh-system')]) as IHelmRelease[];
  assert.deepEqual(out?.spec?.dependsOn, [{ name: 'a' }, { name: 'mesh', namespace: 'mesh-system' }]);
});

test('objects that are not HelmReleases pass through unchanged', () => {
  const ns: K8sObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } };
  assert.deepEqual(afterReleases([ns], [release('mesh', 'm')]), [ns]);
});

test('on every mesh, Prometheus and Flagger wait for all of the mesh control plane releases', () => {
  for (const mesh of registeredMeshes()) {
    const { all, pathOf } = renderTestCluster(mesh);
    const releases = all.filter((o): o is IHelmRelease & K8sObject => o.kind === 'HelmRelease');
    const inControllers = releases.filter((r) => pathOf(r).includes('infrastructure/controllers/'));
    const isWaiting = (r: K8sObject) => /controllers\/(observability|flagger)\.yaml$/.test(pathOf(r));
    const waiting = inControllers.filter(isWaiting);
    // The mesh's control plane (controllers/<id>.yaml); metrics-server needs no mesh and waits for none.
    const meshFile = `infrastructure/controllers/${meshPlugin(mesh).id}.yaml`;
    const meshReleases = inControllers.filter((r) => pathOf(r) === meshFile);
    assert.ok(waiting.length > 0, `${mesh}: no observability or Flagger release`);
    for (const r of waiting) {
      const deps = (r.spec?.dependsOn ?? []).map((d) => `${d.namespace ?? r.metadata?.namespace}/${d.name}`);
      for (const m of meshReleases) {
        assert.ok(
          deps.includes(`${m.metadata?.namespace}/${m.metadata?.name}`),
          `${mesh}: ${r.metadata?.name} does not wait for ${m.metadata?.name}`,
        );
      }
    }
  }
});
