// The spec refuses app names whose derived Services would be invalid (spec/derived-names.ts); that
// only holds if it knows every Service the render writes for an app, on every mesh.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { derivedServiceNames } from '@meshproof/spec';
import { renderCluster } from '../render-cluster.ts';
import { ofKind, registeredMeshes, testSpec } from '../test-support.ts';
import { LOADTESTER } from './names.ts';

test('every app Service the render writes is one the spec checks the name of', () => {
  for (const mesh of registeredMeshes()) {
    const platform = testSpec([mesh]);
    const cluster = platform.clusters[0];
    assert.ok(cluster);
    const known = new Set(platform.apps.flatMap((app) => derivedServiceNames(app).map((d) => d.name)));
    const services = ofKind(renderCluster(platform, cluster), 'Service')
      .filter(({ path }) => path.startsWith('apps/') && !path.endsWith(`${LOADTESTER}.yaml`))
      .map(({ object }) => object.metadata?.name ?? '');
    assert.ok(services.length > 0);
    for (const name of services)
      assert.ok(known.has(name), `${mesh}: Service ${name} is not in derivedServiceNames`);
  }
});
