import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTree } from './tree.ts';

const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'x' } });

test('every folder except the root and infrastructure/ gets a kustomization.yaml listing its entries', () => {
  const tree = buildTree(
    [
      { path: 'apps/shop/b.yaml', objects: [cm('b')] },
      { path: 'apps/shop/a.yaml', objects: [cm('a')] },
      { path: 'infrastructure/configs/c.yaml', objects: [cm('c')] },
    ],
    ['infrastructure/crds'],
  );
  assert.match(tree.get('apps/shop/kustomization.yaml') ?? '', /resources:\n {2}- a\.yaml\n {2}- b\.yaml\n/);
  assert.match(tree.get('apps/kustomization.yaml') ?? '', /resources:\n {2}- shop\n/);
  assert.match(tree.get('infrastructure/crds/kustomization.yaml') ?? '', /resources: \[\]/);
  assert.ok(!tree.has('infrastructure/kustomization.yaml'));
  assert.ok(!tree.has('kustomization.yaml'));
});

test('empty bundles are skipped and two bundles for one path are refused', () => {
  assert.equal(buildTree([{ path: 'a/x.yaml', objects: [] }]).size, 0);
  assert.throws(
    () =>
      buildTree([
        { path: 'a/x.yaml', objects: [cm('a')] },
        { path: 'a/x.yaml', objects: [cm('b')] },
      ]),
    /two bundles/,
  );
});

test('plain files land beside the manifests and may become ConfigMaps through the kustomization', () => {
  const configMap = { name: 'values', namespace: 'kube-system', key: 'values.yaml' };
  const tree = buildTree([], ['infra'], [{ path: 'infra/values.yaml', content: 'a: 1\n', configMap }]);
  assert.equal(tree.get('infra/values.yaml'), 'a: 1\n');
  const k = tree.get('infra/kustomization.yaml') ?? '';
  assert.match(k, /configMapGenerator:\n {2}- name: values\n {4}namespace: kube-system\n/);
  assert.match(k, /files:\n {6}- values\.yaml=values\.yaml/);
  assert.match(k, /disableNameSuffixHash: true/);
  assert.doesNotMatch(k, /resources:\n {2}- values\.yaml/, 'the values file is not a resource');
});
