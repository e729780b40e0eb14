import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadLock } from '@meshproof/schemas';
import { CILIUM, FLAGGER, FLUX, GATEWAY_API, ISTIO, LINKERD } from './versions.ts';

// The doctor validates against the schema lock; the renderer installs versions.ts. A bump of one
// without the other would validate manifests against the wrong release.
test('every upstream the schema lock pins is the version the renderer installs', () => {
  const locked = new Map(loadLock().sources.map((s) => [s.project, s.version.replace(/^v/, '')]));
  const rendered: Record<string, string> = {
    istio: ISTIO.version,
    cilium: CILIUM.version,
    flagger: FLAGGER.version,
    'gateway-api': GATEWAY_API.version,
    linkerd2: LINKERD.version,
    'source-controller': FLUX.sourceController,
    'kustomize-controller': FLUX.kustomizeController,
    'helm-controller': FLUX.helmController,
    'notification-controller': FLUX.notificationController,
  };
  assert.deepEqual([...locked.keys()].sort(), Object.keys(rendered).sort());
  for (const [project, version] of Object.entries(rendered)) {
    assert.equal(locked.get(project), version.replace(/^v/, ''), project);
  }
});
