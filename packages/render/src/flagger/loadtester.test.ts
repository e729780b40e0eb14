import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Mesh } from '@meshproof/spec';
import { meshPlugin } from '../meshes.ts';
import type { K8sObject } from '../model.ts';
import { NO_UPSTREAM, schemaIssues } from '../schema-check.ts';
import { registeredMeshes, renderTestCluster } from '../test-support.ts';
import { FLAGGER } from '../versions.ts';

// biome-ignore lint/suspicious/noExplicitAny: the tests walk parsed YAML.
type Obj = K8sObject & { spec: any; automountServiceAccountToken?: boolean };

// The test spec: api (store, port 9000) is the only canary app; web (store) and search (search) are not.
const FILE = 'apps/store/flagger-loadtester.yaml';
const FLAGGER_LABELS = { 'app.kubernetes.io/name': 'flagger', 'app.kubernetes.io/instance': 'flagger' };
const FLAGGER_ACCOUNT = { name: 'flagger', namespace: 'flagger-system' };

/** What lets Flagger (flagger-system) reach the loadtester's webhook port, per mesh. */
const flaggerAccess: Record<Mesh, (objects: Obj[]) => void> = {
  none: (objects) => {
    const ingress = objects.find(
      (o) => o.kind === 'NetworkPolicy' && o.metadata?.name === 'flagger-loadtester-ingress',
    );
    assert.deepEqual(ingress?.spec.podSelector, { matchLabels: { 'meshproof/app': 'flagger-loadtester' } });
    assert.deepEqual(ingress?.spec.ingress, [
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'flagger-system' } },
            podSelector: { matchLabels: FLAGGER_LABELS },
          },
        ],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ]);
    const egress = objects.find(
      (o) => o.kind === 'NetworkPolicy' && o.metadata?.name === 'flagger-loadtester-egress',
    );
    assert.deepEqual(
      egress?.spec.egress.map((e: Obj['spec']) => [
        e.to[0].podSelector.matchLabels['meshproof/app'],
        e.ports[0].port,
      ]),
      [['api', 9000]],
      'egress to the canary app only (DNS: the namespace allow-dns)',
    );
  },
  'istio-ambient': (objects) => istioAccess(objects, false),
  'istio-sidecar': (objects) => istioAccess(objects, true),
  linkerd: (objects) => {
    const server = objects.find((o) => o.kind === 'Server');
    assert.deepEqual(server?.spec.podSelector, { matchLabels: { 'meshproof/app': 'flagger-loadtester' } });
    assert.equal(server?.spec.port, 'http', "the chart's container port name (8080)");
    const route = objects.find((o) => o.kind === 'HTTPRoute');
    assert.deepEqual(route?.spec.parentRefs, [
      { group: 'policy.linkerd.io', kind: 'Server', name: server?.metadata?.name },
    ]);
    assert.deepEqual(route?.spec.rules, [
      { matches: [{ path: { type: 'Exact', value: '/' }, method: 'POST' }] },
    ]);
    const authz = objects.find((o) => o.kind === 'AuthorizationPolicy');
    assert.equal(authz?.spec.targetRef.name, route?.metadata?.name);
    assert.deepEqual(authz?.spec.requiredAuthenticationRefs, [
      { group: 'policy.linkerd.io', kind: 'MeshTLSAuthentication', name: route?.metadata?.name },
    ]);
    const authn = objects.find((o) => o.kind === 'MeshTLSAuthentication');
    assert.deepEqual(authn?.spec, { identityRefs: [{ kind: 'ServiceAccount', ...FLAGGER_ACCOUNT }] });
    assert.ok(!objects.some((o) => o.kind === 'NetworkAuthentication'), 'no opening by network');
  },
  cilium: (objects) => {
    const policy = objects.find((o) => o.kind === 'CiliumNetworkPolicy');
    assert.deepEqual(policy?.spec.endpointSelector, {
      matchLabels: { 'meshproof/app': 'flagger-loadtester' },
    });
    assert.deepEqual(policy?.spec.ingress, [
      {
        fromEndpoints: [
          {
            matchLabels: {
              'io.cilium.k8s.policy.serviceaccount': 'flagger',
              'k8s:io.kubernetes.pod.namespace': 'flagger-system',
            },
          },
        ],
        toPorts: [
          { ports: [{ port: '8080', protocol: 'TCP' }], rules: { http: [{ method: 'POST', path: '/' }] } },
        ],
      },
    ]);
    assert.deepEqual(policy?.spec.egress, [
      {
        toEndpoints: [
          { matchLabels: { 'meshproof/app': 'api', 'k8s:io.kubernetes.pod.namespace': 'store' } },
        ],
        toPorts: [{ ports: [{ port: '9000', protocol: 'TCP' }] }],
      },
    ]);
  },
};

function istioAccess(objects: Obj[], l7: boolean) {
  const selector = { matchLabels: { 'meshproof/app': 'flagger-loadtester' } };
  const flagger = 'cluster.local/ns/flagger-system/sa/flagger';
  const from = [{ source: { principals: [flagger] } }];
  assert.ok(!objects.some((o) => o.kind === 'PeerAuthentication'), 'the mesh-wide STRICT mTLS applies');
  const policies = objects.filter((o) => o.kind === 'AuthorizationPolicy');
  const policy = (name: string) => policies.find((o) => o.metadata?.name === `flagger-loadtester-${name}`);
  const [deny, allow, service] = [
    policy('deny-others'),
    policy('allow-flagger'),
    policy('waypoint-allow-flagger'),
  ];
  assert.equal(policies.length, l7 ? 2 : 3);
  // Ambient with a waypoint (the test spec's default): Flagger's calls to the Service pass it.
  const waypoint = l7 ? [] : ['cluster.local/ns/store/sa/waypoint'];
  assert.deepEqual(deny?.spec, {
    selector,
    action: 'DENY',
    rules: [{ from: [{ source: { notPrincipals: [flagger, ...waypoint] } }] }],
  });
  const operation = l7 ? { ports: ['8080'], methods: ['POST'], paths: ['/'] } : { ports: ['8080'] };
  assert.deepEqual(allow?.spec, { selector, action: 'ALLOW', rules: [{ from, to: [{ operation }] }] });
  if (l7) return assert.equal(service, undefined);
  assert.deepEqual(service?.spec, {
    targetRefs: [{ group: '', kind: 'Service', name: 'flagger-loadtester' }],
    action: 'ALLOW',
    rules: [{ from, to: [{ operation: { methods: ['POST'], paths: ['/'] } }] }],
  });
}

for (const mesh of registeredMeshes()) {
  describe(`flagger loadtester: ${mesh}`, () => {
    const { all, find, pathOf, platform, cluster } = renderTestCluster<Obj>(mesh);
    const inFile = all.filter((o) => pathOf(o) === FILE);

    test('one pinned loadtester release in the canary namespace, in the apps layer, none elsewhere', () => {
      const release = find('HelmRelease', 'flagger-loadtester', 'store');
      assert.equal(pathOf(release), FILE, 'apps layer: its namespace comes from configs');
      assert.deepEqual(release.spec.chart.spec, {
        chart: 'loadtester',
        interval: '12h',
        sourceRef: { kind: 'HelmRepository', name: 'flagger', namespace: 'flux-system' },
        version: FLAGGER.loadtester.chartVersion,
      });
      assert.match(FLAGGER.loadtester.chartVersion, /^\d+\.\d+\.\d+$/);
      assert.equal(release.spec.values.image.tag, FLAGGER.loadtester.imageTag);
      find('HelmRepository', 'flagger', 'flux-system');
      const releases = all.filter(
        (o) => o.kind === 'HelmRelease' && o.metadata?.name === 'flagger-loadtester',
      );
      assert.deepEqual(
        releases.map((o) => o.metadata?.namespace),
        ['store'],
        'search holds no canary app',
      );
    });

    test('its pods run as their own ServiceAccount, Pod Security restricted, with the mesh pod metadata', () => {
      const values = find('HelmRelease', 'flagger-loadtester', 'store').spec.values;
      const sa = find('ServiceAccount', values.serviceAccountName, 'store');
      assert.equal(pathOf(sa), FILE);
      assert.equal(sa.automountServiceAccountToken, false);
      assert.equal(values.podSecurityContext.enabled, true);
      assert.deepEqual(values.podSecurityContext.context, {
        runAsNonRoot: true,
        runAsUser: 10001,
        runAsGroup: 10001,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      assert.equal(values.securityContext.enabled, true);
      assert.deepEqual(values.securityContext.context, {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        privileged: false,
        capabilities: { drop: ['ALL'] },
      });
      for (const v of values.volumes) assert.ok(v.emptyDir, `${v.name}: a restricted volume type`);
      const pod = meshPlugin(cluster.mesh).podMetadata(
        { platform, cluster },
        {
          name: 'flagger-loadtester',
          namespace: 'store',
        },
      );
      assert.deepEqual(values.podLabels, { ...pod.labels, 'meshproof/app': 'flagger-loadtester' });
      assert.deepEqual(values.podAnnotations, { ...pod.annotations, 'prometheus.io/scrape': 'false' });
    });

    test("the Canary's webhooks ask the loadtester for an acceptance check and load on the canary Service", () => {
      const canary = find('Canary', 'api', 'store');
      const [acceptance, hook, ...rest] = canary.spec.analysis.webhooks;
      assert.equal(rest.length, 0);
      assert.equal(acceptance.type, 'pre-rollout');
      assert.equal(acceptance.url, 'http://flagger-loadtester.store/');
      assert.equal(acceptance.metadata.type, 'bash', 'blocking: the result gates the rollout');
      assert.match(acceptance.metadata.cmd, /^curl -sSf .* http:\/\/api-canary\.store:9000\/$/);
      assert.equal(hook.type, 'rollout');
      assert.equal(hook.url, 'http://flagger-loadtester.store/');
      assert.equal(hook.metadata.type, 'cmd');
      const target = /^hey -z 1m -q \d+ -c \d+ (\S+)$/.exec(hook.metadata.cmd)?.[1];
      assert.equal(target, 'http://api-canary.store:9000/');
      assert.doesNotMatch(target ?? '', /healthz|readyz|metrics/, 'a path the MetricTemplates count');
    });

    test('Flagger may reach the webhook port, and the loadtester only the canary apps', () => {
      flaggerAccess[mesh](inFile);
    });

    test('loadtester objects match the pinned upstream CRD schemas', { skip: NO_UPSTREAM }, async () => {
      assert.deepEqual(await schemaIssues(inFile), []);
    });
  });
}

test('an app may not take the loadtester name or ServiceAccount in a canary namespace', () => {
  assert.throws(
    () =>
      renderTestCluster('none', (spec) => {
        const web = spec.apps.find((a) => a.name === 'web');
        assert.ok(web);
        web.serviceAccount = 'flagger-loadtester';
      }),
    /flagger-loadtester/,
  );
});
