// What the e2e zero-trust probes are told about a Linkerd cluster (zero-trust.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { meshPlugin } from '../meshes.ts';
import { testSpec } from '../test-support.ts';
import { LINKERD_FORBIDDEN, LINKERD_NO_ROUTE, linkerdZeroTrust } from './zero-trust.ts';

test('refusals: the inbound proxy answers 403 (no policy admits) or 404 (no route), empty bodies; or it resets', () => {
  const source = 'linkerd/linkerd2-proxy linkerd/app/inbound/src/http/server.rs';
  assert.deepEqual(linkerdZeroTrust.denials, {
    classes: ['DENIED_L7', 'DENIED_RESET'],
    l7: [LINKERD_FORBIDDEN, LINKERD_NO_ROUTE],
  });
  assert.deepEqual(
    [{ ...LINKERD_FORBIDDEN }, { ...LINKERD_NO_ROUTE }],
    [
      { id: 'linkerd-forbidden', status: 403, body: { empty: true }, source },
      { id: 'linkerd-no-route', status: 404, body: { empty: true }, source },
    ],
  );
  // STRICT makes the default inbound policy all-authenticated.
  assert.equal(linkerdZeroTrust.strictMtlsRefusesPlaintext, true);
});

test('a probe pod stays out of the mesh by turning off the injection its namespace asks for', () => {
  const platform = testSpec(['linkerd']);
  const cluster = platform.clusters[0];
  assert.ok(cluster);
  const key = 'linkerd.io/inject';
  assert.equal(
    meshPlugin('linkerd').namespaceMetadata({ platform, cluster }, 'store').annotations[key],
    'enabled',
  );
  assert.deepEqual(linkerdZeroTrust.outsidePodMetadata, { labels: {}, annotations: { [key]: 'disabled' } });
});
