import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { INGRESS_MESHES, type Mesh, type PlatformInput } from '@meshproof/spec';
import { meshPlugin } from '../meshes.ts';
import type { K8sObject } from '../model.ts';
import { renderCluster } from '../render-cluster.ts';
import { exposeApps, registeredMeshes, renderTestCluster, testSpec } from '../test-support.ts';
import { validateWithModel } from '../validate-models.ts';
import { ingressGateway } from './ingress.ts';

// biome-ignore lint/suspicious/noExplicitAny: the tests walk parsed YAML, whose shape they assert.
type Obj = K8sObject & { spec: Record<string, any> };

const GATEWAY_PRINCIPAL = 'cluster.local/ns/ingress/sa/ingress-istio';

// The test spec's apps and what exposeApps gives them.
const EXPOSED = [
  { app: 'web', namespace: 'store', port: 8080, hostname: 'store.example.test', prefix: '/' },
  { app: 'api', namespace: 'store', port: 9000, hostname: 'store.example.test', prefix: '/api' },
  { app: 'search', namespace: 'search', port: 8081, hostname: 'search.example.test', prefix: '/' },
];

/** Whether the mesh's objects let the ingress gateway's identity reach `app` on `path`. */
const admitsGateway: Partial<
  Record<Mesh, (objects: Obj[], app: string, ns: string, path: string) => boolean>
> = {
  'istio-ambient': (objects, app, ns, path) => istioAdmits(objects, app, ns, path),
  'istio-sidecar': (objects, app, ns, path) => istioAdmits(objects, app, ns, path),
  cilium: (objects, app, ns, path) =>
    objects
      .filter((o) => o.kind === 'CiliumNetworkPolicy' && o.metadata?.namespace === ns)
      .filter((o) => o.spec.endpointSelector?.matchLabels?.['meshproof/app'] === app)
      .some((o) =>
        (o.spec.ingress ?? []).some(
          (r: Obj['spec']) =>
            r.fromEntities?.includes('ingress') &&
            r.toPorts?.every((p: Obj['spec']) =>
              // Every rule on the app port stays L7: a bare L4 allow would shadow the HTTP rules.
              (p.rules?.http ?? []).some((h: { path?: string }) => new RegExp(`^${h.path}$`).test(path)),
            ),
        ),
      ),
};

function istioAdmits(objects: Obj[], app: string, ns: string, path: string): boolean {
  return objects
    .filter((o) => o.kind === 'AuthorizationPolicy' && o.metadata?.namespace === ns)
    .filter(
      (o) =>
        o.spec.selector?.matchLabels?.['meshproof/app'] === app ||
        o.spec.targetRefs?.some((t: Obj['spec']) => t.kind === 'Service' && t.name === app),
    )
    .some((o) =>
      (o.spec.rules ?? []).some(
        (r: Obj['spec']) =>
          r.from?.some((f: Obj['spec']) => f.source?.principals?.includes(GATEWAY_PRINCIPAL)) &&
          (r.to ?? [{ operation: {} }]).some((t: Obj['spec']) => {
            const paths: string[] | undefined = t.operation?.paths;
            return (
              !paths || paths.some((p) => p === path || (p.endsWith('*') && path.startsWith(p.slice(0, -1))))
            );
          }),
      ),
    );
}

for (const [mesh, gatewayClassName] of [
  ['istio-ambient', 'istio'],
  ['istio-sidecar', 'istio'],
  ['cilium', 'cilium'],
] as const) {
  describe(`${mesh}: exposed apps`, () => {
    const { all, find, pathOf } = renderTestCluster<Obj>(mesh, exposeApps);
    const gateway = find('Gateway', 'ingress', 'ingress');

    test('one Gateway of the mesh class in its own restricted namespace, in the configs layer', () => {
      assert.equal(gateway.spec.gatewayClassName, gatewayClassName);
      assert.equal(pathOf(gateway), 'infrastructure/configs/ingress.yaml');
      const ns = find('Namespace', 'ingress');
      assert.equal(ns.metadata?.labels?.['pod-security.kubernetes.io/enforce'], 'restricted');
      assert.equal(pathOf(ns), 'infrastructure/configs/ingress.yaml');
    });

    test('an HTTP listener on port 80 per host name, open to routes from its apps namespaces only', () => {
      const listeners = gateway.spec.listeners as Obj['spec'][];
      assert.deepEqual(listeners.map((l) => l.hostname).sort(), [
        'search.example.test',
        'store.example.test',
      ]);
      for (const l of listeners) {
        assert.equal(l.port, 80);
        assert.equal(l.protocol, 'HTTP');
        const wanted = [...new Set(EXPOSED.filter((e) => e.hostname === l.hostname).map((e) => e.namespace))];
        assert.deepEqual(l.allowedRoutes.namespaces, {
          from: 'Selector',
          selector: {
            matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: wanted }],
          },
        });
      }
    });

    test('each exposed app has an HTTPRoute from its listener to its Service, beside the app', () => {
      for (const e of EXPOSED) {
        const route = find('HTTPRoute', `${e.app}-ingress`, e.namespace);
        assert.equal(pathOf(route), `apps/${e.namespace}/${e.app}.yaml`);
        const [parent] = route.spec.parentRefs;
        const listener = (gateway.spec.listeners as Obj['spec'][]).find((l) => l.name === parent.sectionName);
        assert.equal(parent.kind, 'Gateway');
        assert.equal(parent.namespace, 'ingress');
        assert.equal(parent.name, 'ingress');
        assert.equal(listener?.hostname, e.hostname);
        assert.deepEqual(route.spec.hostnames, [e.hostname]);
        assert.deepEqual(route.spec.rules, [
          {
            matches: [{ path: { type: 'PathPrefix', value: e.prefix } }],
            // api is a canary: its Service is the apex one Flagger maintains.
            backendRefs: [{ name: e.app, port: e.port }],
          },
        ]);
      }
    });

    test("the gateway's identity may call each exposed app, on its path prefix", () => {
      const admits = admitsGateway[mesh];
      assert.ok(admits);
      for (const e of EXPOSED) {
        const path = e.prefix === '/' ? '/anything' : `${e.prefix}/items`;
        assert.ok(admits(all, e.app, e.namespace, path), `${e.app} admits the gateway on ${path}`);
      }
      // The api rule names its prefix only (L7 enforcement on both meshes' proxies).
      assert.equal(admits(all, 'api', 'store', '/admin'), false, 'api refuses the gateway outside /api');
    });

    test('Gateway and HTTPRoutes validate with the typed models', () => {
      const routes = all.filter((o) => o.kind === 'HTTPRoute' && o.metadata?.name?.endsWith('-ingress'));
      assert.equal(routes.length, EXPOSED.length);
      for (const o of [gateway, ...routes]) assert.ok(validateWithModel(o), `${o.kind} has a model`);
    });
  });
}

describe('istio-ambient: the gateway and the waypoint', () => {
  test('namespaces with an exposed app send gateway traffic through their waypoint', () => {
    const { find } = renderTestCluster<Obj>('istio-ambient', (s) => {
      exposeApps(s);
      for (const app of s.apps) if (app.namespace === 'search') app.expose = undefined;
    });
    const label = (ns: string) => find('Namespace', ns).metadata?.labels?.['istio.io/ingress-use-waypoint'];
    assert.equal(label('store'), 'true');
    assert.equal(label('search'), undefined);
    const policy = find('AuthorizationPolicy', 'web-ingress', 'store');
    assert.deepEqual(policy.spec.targetRefs, [{ group: '', kind: 'Service', name: 'web' }]);
  });

  test('without a waypoint ztunnel enforces an L4-only rule on the pods', () => {
    const { find } = renderTestCluster<Obj>('istio-ambient', (s) => {
      exposeApps(s);
      s.clusters[0] = { name: 'test-istio-ambient', mesh: 'istio-ambient', istio: { waypoint: false } };
      // Without a waypoint the spec allows L4 calls only.
      for (const app of s.apps) app.calls = app.calls?.map((call) => ({ app: call.app }));
    });
    assert.equal(find('Namespace', 'store').metadata?.labels?.['istio.io/ingress-use-waypoint'], undefined);
    const policy = find('AuthorizationPolicy', 'api-ingress', 'store');
    assert.deepEqual(policy.spec.selector, { matchLabels: { 'meshproof/app': 'api' } });
    assert.deepEqual(policy.spec.rules, [{ from: [{ source: { principals: [GATEWAY_PRINCIPAL] } }] }]);
  });
});

describe('meshes without an ingress gateway', () => {
  test('the spec accepts expose exactly where the plug-in renders an ingress', () => {
    const registered = registeredMeshes();
    assert.ok(registered.length >= 5, registered.join(','));
    for (const mesh of registered)
      assert.equal(meshPlugin(mesh).ingress !== undefined, INGRESS_MESHES.has(mesh), mesh);
  });

  for (const mesh of ['none', 'linkerd'] as const) {
    test(`${mesh}: a spec exposing an app is rejected, not rendered half-way`, () => {
      assert.throws(() => testSpec([mesh], exposeApps), /apps\[0\]\.expose.*has no ingress gateway/s);
      // Past the spec (e.g. a hand-built platform), the renderer refuses too.
      const platform = testSpec(['istio-sidecar'], exposeApps);
      const cluster = platform.clusters[0];
      assert.ok(cluster);
      assert.throws(() => renderCluster(platform, { ...cluster, mesh }), /expose needs an ingress gateway/);
    });
  }

  test('no exposed app, no Gateway and no ingress namespace', () => {
    const { all } = renderTestCluster<Obj>('istio-sidecar');
    assert.equal(
      all.some((o) => o.kind === 'Gateway' || o.metadata?.name === 'ingress'),
      false,
    );
  });
});

describe('listener names', () => {
  test('host names that would share a listener name still get distinct ones', () => {
    const platform = testSpec(['cilium'], (s: PlatformInput) => {
      const [web, , search] = s.apps;
      assert.ok(web && search);
      web.expose = { hostname: 'a-b.test' };
      search.expose = { hostname: 'a.b-test' };
    });
    const [, gateway] = ingressGateway(platform, 'cilium') as Obj[];
    assert.ok(gateway);
    const names = (gateway.spec.listeners as { name: string }[]).map((l) => l.name);
    assert.equal(new Set(names).size, 2, names.join(','));
  });
});
