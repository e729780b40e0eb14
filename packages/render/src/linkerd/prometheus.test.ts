// Who may use Prometheus's web port on Linkerd (prometheus.ts prometheusAccess), read by the Linkerd
// model: its meshed clients by mTLS identity, and only the ones the spec installs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PlatformInput } from '@meshproof/spec';
import {
  GRAFANA_SERVICE_ACCOUNT,
  MONITORING_NAMESPACE,
  PROMETHEUS_PORT,
} from '../observability/endpoints.ts';
import { appPods, flaggerPod, type Obj, type Pod, prometheusPod } from '../test-pods.ts';
import { renderTestCluster } from '../test-support.ts';
import { linkerdVerdict } from './test-model.ts';

const grafanaPod: Pod = {
  namespace: MONITORING_NAMESPACE,
  labels: { 'app.kubernetes.io/name': 'grafana' },
  serviceAccount: GRAFANA_SERVICE_ACCOUNT,
  name: 'grafana',
};

function readers(edit: (s: PlatformInput) => void) {
  const { all } = renderTestCluster<Obj>('linkerd', edit);
  const web = appPods(all).find((p) => p.name === 'store/web');
  assert.ok(web);
  const callers: Record<string, Pod> = {
    prometheus: prometheusPod,
    flagger: flaggerPod,
    grafana: grafanaPod,
    web,
  };
  const readers = Object.entries(callers)
    .filter(([, from]) => {
      const r = { from, to: prometheusPod, port: PROMETHEUS_PORT, method: 'GET', path: '/api/v1/query' };
      // Prometheus's container port is named `web`; its Server names the number anyway.
      return linkerdVerdict(all, r, 'web') === 'allowed';
    })
    .map(([name]) => name);
  const authn = all.filter(
    (o) => o.kind === 'MeshTLSAuthentication' && o.metadata?.namespace === MONITORING_NAMESPACE,
  );
  assert.equal(authn.length, 1);
  return { readers, identities: (authn[0]?.spec.identities ?? []) as string[] };
}

test('Prometheus admits itself, Flagger only with a canary to analyse, Grafana only when installed', () => {
  for (const canary of [true, false])
    for (const grafana of [true, false]) {
      const got = readers((s) => {
        s.observability = { prometheus: true, grafana };
        if (!canary) for (const a of s.apps) a.canary = undefined;
      });
      const want = ['prometheus', ...(canary ? ['flagger'] : []), ...(grafana ? ['grafana'] : [])];
      assert.deepEqual(got.readers, want, `canary ${canary}, grafana ${grafana}`);
      // No identity beyond theirs: an entry no pod holds today is one a new workload could take.
      assert.equal(got.identities.length, want.length, got.identities.join(', '));
    }
});

test('without Prometheus there is no web port to guard', () => {
  const { all } = renderTestCluster<Obj>('linkerd', (s) => {
    s.observability = { prometheus: false };
    for (const a of s.apps) a.canary = undefined;
  });
  assert.equal(
    all.some(
      (o) => o.metadata?.namespace === MONITORING_NAMESPACE && o.apiVersion?.startsWith('policy.linkerd.io'),
    ),
    false,
  );
});
