import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Mesh } from '@meshproof/spec';
import type { K8sObject } from '../model.ts';
import { renderCluster } from '../render-cluster.ts';
import { NO_UPSTREAM, schemaIssues } from '../schema-check.ts';
import { objectsOf, ofKind, testSpec } from '../test-support.ts';
import { FLAGGER_PRINCIPAL, PROMETHEUS_PRINCIPAL } from './authorization.ts';

type Obj = K8sObject & { spec: Record<string, unknown> };

function render(mesh: Mesh, edit?: Parameters<typeof testSpec>[1]) {
  const platform = testSpec([mesh], edit);
  const cluster = platform.clusters[0];
  assert.ok(cluster);
  const tree = renderCluster(platform, cluster);
  const all = (kind: string) => ofKind(tree, kind).map(({ object }) => object as Obj);
  const named = (kind: string, namespace: string, name: string) =>
    all(kind).find((o) => o.metadata?.namespace === namespace && o.metadata?.name === name);
  const get = (kind: string, namespace: string, name: string) => {
    const found = named(kind, namespace, name);
    assert.ok(found, `${kind} ${namespace}/${name} is rendered`);
    return found;
  };
  return { platform, tree, all, named, get };
}

// The test spec's identities: web (store) calls api (store, GET /items) and search (search); api is a
// canary app, so the store loadtester calls it too (GET, any path).
const WEB = 'cluster.local/ns/store/sa/web';
const LOADTESTER = 'cluster.local/ns/store/sa/flagger-loadtester';

for (const mesh of ['istio-ambient', 'istio-sidecar'] as const) {
  describe(`${mesh}: security`, () => {
    const { all, named } = render(mesh);

    test('mesh-wide mTLS is STRICT', () => {
      const pa = named('PeerAuthentication', 'istio-system', 'default');
      assert.deepEqual(pa?.spec, { mtls: { mode: 'STRICT' } });
    });

    test('every app namespace has a deny-all AuthorizationPolicy', () => {
      for (const ns of ['store', 'search'])
        assert.deepEqual(named('AuthorizationPolicy', ns, 'deny-all')?.spec, {});
    });

    test('allow rules name exactly the callers ServiceAccounts, with their L7 restrictions', () => {
      const api = named('AuthorizationPolicy', 'store', 'api-allow')?.spec as { rules: unknown[] };
      assert.deepEqual(api.rules, [
        { from: [{ source: { principals: [LOADTESTER] } }], to: [{ operation: { methods: ['GET'] } }] },
        {
          from: [{ source: { principals: [WEB] } }],
          to: [{ operation: { methods: ['GET'], paths: ['/items', '/items/*'] } }],
        },
      ]);
      const search = named('AuthorizationPolicy', 'search', 'search-allow')?.spec as { rules: unknown[] };
      assert.deepEqual(
        search.rules,
        [{ from: [{ source: { principals: [WEB] } }] }],
        'no canary: no loadtester',
      );
      assert.equal(named('AuthorizationPolicy', 'store', 'web-allow'), undefined, 'nobody calls web');
    });

    test('every principal in a policy is a rendered ServiceAccount (or the namespace waypoint, Prometheus or Flagger)', () => {
      const accounts = new Set(
        all('ServiceAccount').map(
          (sa) => `cluster.local/ns/${sa.metadata?.namespace}/sa/${sa.metadata?.name}`,
        ),
      );
      const principals = JSON.stringify(all('AuthorizationPolicy')).match(/cluster\.local\/ns\/[^"]+/g) ?? [];
      assert.ok(principals.length > 0);
      for (const p of principals)
        assert.ok(
          accounts.has(p) ||
            p.endsWith('/sa/waypoint') ||
            p === PROMETHEUS_PRINCIPAL ||
            p === FLAGGER_PRINCIPAL,
          p,
        );
    });
  });
}

describe('istio-ambient', () => {
  const { all, named, get, tree } = render('istio-ambient');

  test('charts install in the documented order: base → istiod (ambient) → cni (ambient) → ztunnel', () => {
    const releases = all('HelmRelease').filter((r) => r.metadata?.namespace === 'istio-system');
    const deps = Object.fromEntries(
      releases.map((r) => [
        r.metadata?.name,
        (r.spec.dependsOn as { name: string }[] | undefined)?.[0]?.name,
      ]),
    );
    assert.deepEqual(deps, {
      'istio-base': undefined,
      istiod: 'istio-base',
      'istio-cni': 'istiod',
      ztunnel: 'istio-cni',
    });
    for (const name of ['istiod', 'istio-cni']) {
      assert.equal(
        (get('HelmRelease', 'istio-system', name).spec.values as { profile: string }).profile,
        'ambient',
      );
    }
  });

  test('app namespaces are enrolled in ambient and use the namespace waypoint', () => {
    for (const ns of ['store', 'search']) {
      const labels = all('Namespace').find((n) => n.metadata?.name === ns)?.metadata?.labels;
      assert.equal(labels?.['istio.io/dataplane-mode'], 'ambient');
      assert.equal(labels?.['istio.io/use-waypoint'], 'waypoint');
      assert.equal(labels?.['istio-injection'], undefined, 'never both modes');
      const gw = named('Gateway', ns, 'waypoint');
      assert.equal(gw?.spec.gatewayClassName, 'istio-waypoint');
    }
  });

  test('L7 rules only on waypoint-attached policies: ztunnel-enforced policies carry no HTTP attributes', () => {
    for (const policy of all('AuthorizationPolicy')) {
      const l7 = /"(methods|paths|hosts|notMethods|notPaths|requestPrincipals)"/.test(
        JSON.stringify(policy.spec),
      );
      if (l7) assert.ok(policy.spec.targetRefs, `${policy.metadata?.name} has L7 rules but no targetRefs`);
    }
    // The canary app's waypoint policy also covers the Services Flagger generates for it.
    const api = named('AuthorizationPolicy', 'store', 'api-allow');
    assert.deepEqual(
      api?.spec.targetRefs,
      ['api', 'api-canary', 'api-primary'].map((name) => ({ group: '', kind: 'Service', name })),
    );
    const search = named('AuthorizationPolicy', 'search', 'search-allow');
    assert.deepEqual(search?.spec.targetRefs, [{ group: '', kind: 'Service', name: 'search' }]);
  });

  test('routing is a GAMMA HTTPRoute on the Service, splitting by the spec weights', () => {
    const r = render('istio-ambient', (s) => {
      const search = s.apps.find((a) => a.name === 'search');
      if (search) search.resilience = { timeoutMs: 1500 };
    });
    const route = r.named('HTTPRoute', 'search', 'search')?.spec as {
      parentRefs: unknown[];
      rules: { matches?: unknown[]; backendRefs: { name: string; weight?: number }[] }[];
    };
    assert.deepEqual(route.parentRefs, [{ group: '', kind: 'Service', name: 'search', port: 8081 }]);
    const split = route.rules.at(-1)?.backendRefs.map((b) => [b.name, b.weight]);
    assert.deepEqual(split, [
      ['search-v1', 90],
      ['search-v2', 10],
    ]);
    assert.equal(route.rules[0]?.backendRefs[0]?.name, 'search-v2', 'header route pins v2');
    assert.deepEqual((route.rules.at(-1) as { timeouts?: unknown }).timeouts, { request: '1500ms' });
    assert.equal(r.all('VirtualService').length, 0, 'no VirtualService next to an HTTPRoute');
  });

  test('the canary drives a GAMMA route through Flagger, with the DestinationRule on both backends', () => {
    const [canary] = all('Canary');
    assert.deepEqual(((canary as Obj).spec.service as { gatewayRefs: unknown[] }).gatewayRefs, [
      { name: 'api', namespace: 'store', group: '', kind: 'Service', port: 9000 },
    ]);
    assert.ok(
      !ofKind(tree, 'HTTPRoute').some(({ object }) => object.metadata?.name === 'api'),
      'Flagger owns it',
    );
  });

  test('Prometheus joins the mesh and may scrape every app namespace, by its identity, on the metrics ports only', () => {
    const kps = named('HelmRelease', 'monitoring', 'kube-prometheus-stack')?.spec.values as {
      prometheus: { prometheusSpec: { podMetadata: { labels: Record<string, string> } } };
    };
    assert.equal(kps.prometheus.prometheusSpec.podMetadata.labels['istio.io/dataplane-mode'], 'ambient');
    // The ServiceAccount kube-prometheus-stack gives Prometheus (fullnameOverride kps).
    assert.equal(PROMETHEUS_PRINCIPAL, 'cluster.local/ns/monitoring/sa/kps-prometheus');
    const ports = { store: ['8080', '9000'], search: ['8081'] };
    for (const [ns, scraped] of Object.entries(ports)) {
      assert.deepEqual(named('AuthorizationPolicy', ns, 'allow-prometheus')?.spec, {
        action: 'ALLOW',
        rules: [
          {
            from: [{ source: { principals: [PROMETHEUS_PRINCIPAL] } }],
            to: [{ operation: { ports: scraped } }],
          },
        ],
      });
    }
    // `meshproof check` knows the stack's chart-created ServiceAccount: no suppression needed.
    assert.equal(named('AuthorizationPolicy', 'store', 'allow-prometheus')?.metadata?.annotations, undefined);
    // A namespace-wide source would admit every enrolled workload of monitoring (Grafana too) on any port.
    assert.doesNotMatch(JSON.stringify(all('AuthorizationPolicy')), /"namespaces"/);
  });

  test('every scraped pod port passes its namespace deny-all for Prometheus (the canary checks read those metrics)', () => {
    for (const d of all('Deployment')) {
      const ns = d.metadata?.namespace ?? '';
      const port = (d.spec.template as { metadata: { annotations?: Record<string, string> } }).metadata
        .annotations?.['prometheus.io/port'];
      if (port === undefined) continue;
      const rules = named('AuthorizationPolicy', ns, 'allow-prometheus')?.spec.rules as {
        to: { operation: { ports: string[] } }[];
      }[];
      assert.ok(
        rules?.some((r) => r.to.some((t) => t.operation.ports.includes(port))),
        `${ns}/${d.metadata?.name}: port ${port}`,
      );
    }
  });

  test('without Prometheus there is no Prometheus exception to deny-all', () => {
    const r = render('istio-ambient', (s) => {
      s.observability = { ...s.observability, prometheus: false, grafana: false };
      for (const app of s.apps) delete app.canary;
    });
    assert.equal(r.named('AuthorizationPolicy', 'store', 'allow-prometheus'), undefined);
  });

  test('without a waypoint: no Gateway, no HTTPRoute, only L4 selector policies', () => {
    const r = render('istio-ambient', (s) => {
      s.clusters = [{ name: 'test-istio-ambient', mesh: 'istio-ambient', istio: { waypoint: false } }];
      for (const app of s.apps) app.calls = app.calls?.map((c) => ({ app: c.app }));
    });
    assert.equal(r.all('Gateway').length, 0);
    assert.equal(r.all('HTTPRoute').length, 0);
    const api = r.named('AuthorizationPolicy', 'store', 'api-allow');
    assert.deepEqual(api?.spec.selector, { matchLabels: { 'meshproof/app': 'api' } });
    assert.doesNotMatch(JSON.stringify(r.all('AuthorizationPolicy')), /methods|paths|targetRefs/);
  });

  test('an app needing retries or faults gets an Istio VirtualService instead of an HTTPRoute', () => {
    assert.ok(named('VirtualService', 'search', 'search'), 'search has retries');
    assert.equal(named('HTTPRoute', 'search', 'search'), undefined);
    const r = render('istio-ambient', (s) => {
      const search = s.apps.find((a) => a.name === 'search');
      if (search) {
        search.resilience = {};
        search.faults = { abort: { httpStatus: 503, percent: 5 } };
      }
    });
    const vs = r.named('VirtualService', 'search', 'search')?.spec as { http: { fault: unknown }[] };
    assert.deepEqual(vs.http.at(-1)?.fault, { abort: { httpStatus: 503, percentage: { value: 5 } } });
  });

  test('renders no objects outside the four layers, flux/ and sync/', () => {
    for (const { path } of objectsOf(tree))
      assert.match(path, /^(infrastructure\/(crds|controllers|configs)|apps|flux|sync)\//);
  });
});

describe('istio-sidecar', () => {
  const { all, named, get } = render('istio-sidecar');

  test('istiod uses istio-cni so injected pods stay within Pod Security restricted', () => {
    assert.deepEqual((get('HelmRelease', 'istio-system', 'istiod').spec.values as { cni: unknown }).cni, {
      enabled: true,
    });
    assert.ok(named('HelmRelease', 'istio-system', 'istio-cni'));
    const store = all('Namespace').find((n) => n.metadata?.name === 'store');
    assert.equal(store?.metadata?.labels?.['istio-injection'], 'enabled');
    assert.equal(store?.metadata?.labels?.['pod-security.kubernetes.io/enforce'], 'restricted');
  });

  test('policies select pods by the app label that survives Flagger primaries', () => {
    assert.deepEqual(named('AuthorizationPolicy', 'store', 'api-allow')?.spec.selector, {
      matchLabels: { 'meshproof/app': 'api' },
    });
  });

  test('VirtualService + DestinationRule route by version subsets with timeout and retries', () => {
    const vs = named('VirtualService', 'search', 'search')?.spec as { http: Record<string, unknown>[] };
    const last = vs.http.at(-1) as {
      route: { destination: { subset: string }; weight: number }[];
      timeout: string;
      retries: unknown;
    };
    assert.deepEqual(
      last.route.map((r) => [r.destination.subset, r.weight]),
      [
        ['v1', 90],
        ['v2', 10],
      ],
    );
    assert.equal(last.timeout, '1500ms');
    assert.deepEqual(last.retries, { attempts: 2, retryOn: '5xx,connect-failure' });
    const dr = named('DestinationRule', 'search', 'search')?.spec as {
      subsets: { name: string; labels: unknown }[];
    };
    assert.deepEqual(
      dr.subsets.map((s) => s.labels),
      [{ version: 'v1' }, { version: 'v2' }],
    );
  });

  test("the Canary's traffic policy fits Flagger's schema (no connectionPool.tcp, which would be pruned)", () => {
    const r = render('istio-sidecar', (s) => {
      const api = s.apps.find((a) => a.name === 'api');
      if (api) api.resilience = { circuitBreaker: { maxConnections: 100, maxPendingRequests: 50 } };
    });
    const service = (r.all('Canary')[0] as Obj).spec.service as {
      trafficPolicy: { connectionPool: unknown };
    };
    assert.deepEqual(service.trafficPolicy.connectionPool, {
      http: { http1MaxPendingRequests: 50, http2MaxRequests: 100 },
    });
  });

  test('kubelet probes and Prometheus scrapes keep working under STRICT + deny-all', () => {
    // The injector rewrites HTTP probes to the agent's plaintext :15020/app-health and, with metrics
    // merging, rewrites prometheus.io/port to :15020/stats/prometheus (app + Envoy metrics). Port 15020
    // is not redirected to Envoy, so neither mTLS nor AuthorizationPolicy applies: nothing may switch
    // these defaults off.
    const istiod = get('HelmRelease', 'istio-system', 'istiod').spec.values as Record<string, unknown>;
    const text = JSON.stringify(istiod);
    assert.doesNotMatch(text, /rewriteAppHTTPProbe|enablePrometheusMerge/);
    for (const d of all('Deployment').filter((o) => o.metadata?.namespace !== 'istio-system')) {
      const tpl = (d.spec.template as { metadata: { annotations?: Record<string, string> } }).metadata;
      const annotations = tpl.annotations ?? {};
      assert.equal(annotations['prometheus.io/scrape'], 'true', `${d.metadata?.name} is scraped`);
      for (const key of ['sidecar.istio.io/rewriteAppHTTPProbers', 'prometheus.istio.io/merge-metrics'])
        assert.equal(annotations[key], undefined, `${d.metadata?.name}: ${key}`);
    }
    // No exception to deny-all is needed (or wanted) for Prometheus in sidecar mode.
    assert.equal(named('AuthorizationPolicy', 'store', 'allow-prometheus'), undefined);
  });

  test('a canary app gets no VirtualService: Flagger generates it from the Canary', () => {
    assert.equal(named('VirtualService', 'store', 'api'), undefined);
    assert.equal((all('Canary')[0] as Obj).spec.provider, 'istio');
  });
});

for (const mesh of ['istio-ambient', 'istio-sidecar', 'none'] as const) {
  test(`${mesh}: Istio, Gateway API and Flagger objects match the pinned upstream CRD schemas`, {
    skip: NO_UPSTREAM,
  }, async () => {
    const variants = [render(mesh)];
    // The ambient variant without retries renders an HTTPRoute; with faults, a VirtualService.
    if (mesh === 'istio-ambient') {
      variants.push(
        render(mesh, (s) => {
          for (const app of s.apps) app.resilience = { timeoutMs: 1500 };
        }),
      );
    }
    const checked = variants.flatMap(({ tree }) =>
      objectsOf(tree)
        .map(({ object }) => object)
        .filter((o) =>
          /(^|\.)istio\.io\/|^gateway\.networking\.k8s\.io\/|^flagger\.app\//.test(o.apiVersion),
        ),
    );
    assert.ok(checked.length >= (mesh === 'none' ? 1 : 8), `only ${checked.length} objects checked`);
    assert.deepEqual(await schemaIssues(checked), []);
  });
}
