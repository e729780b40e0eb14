import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IHelmRelease } from '@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2/HelmRelease';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { K8sObject } from '../model.ts';
import { registeredMeshes, renderTestCluster } from '../test-support.ts';
import { LOADTESTER } from './names.ts';

// The role a pod prefers, read back from its affinity.
const preferredRole = (affinity: unknown): string | undefined =>
  (
    affinity as {
      nodeAffinity?: {
        preferredDuringSchedulingIgnoredDuringExecution?: {
          preference: { matchExpressions: { values: string[] }[] };
        }[];
      };
    }
  )?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.[0]?.preference.matchExpressions[0]
    ?.values[0];

test('apps prefer server nodes and the loadtester prefers load nodes, on every mesh, with the label kind puts on them', () => {
  for (const mesh of registeredMeshes()) {
    const { all, tree } = renderTestCluster(mesh);
    const deployments = all.filter((o): o is IDeployment & K8sObject => o.kind === 'Deployment');
    assert.ok(deployments.length > 0);
    for (const d of deployments)
      assert.equal(preferredRole(d.spec?.template.spec?.affinity), 'server', `${mesh}: ${d.metadata?.name}`);
    const loadtester = all.find(
      (o): o is IHelmRelease & K8sObject => o.kind === 'HelmRelease' && o.metadata?.name === LOADTESTER,
    );
    assert.equal(
      preferredRole((loadtester?.spec?.values as { affinity?: unknown } | undefined)?.affinity),
      'load',
      mesh,
    );
    const key = (d: IDeployment) =>
      JSON.stringify(d.spec?.template.spec?.affinity).match(/"key":"([^"]+)"/)?.[1];
    assert.match(tree.get('kind.yaml') ?? '', new RegExp(`${key(deployments[0] as IDeployment)}: server`));
  }
});
