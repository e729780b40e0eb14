import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { K8sObject } from '../model.ts';
import { NO_UPSTREAM, schemaIssues } from '../schema-check.ts';
import { renderTestCluster, type testSpec } from '../test-support.ts';
import { LIFETIMES } from './certificates.ts';

// biome-ignore lint/suspicious/noExplicitAny: the tests walk parsed YAML, whose shape they assert.
type Obj = K8sObject & { spec: Record<string, any> };

const render = (edit?: Parameters<typeof testSpec>[1]) => renderTestCluster<Obj>('linkerd', edit);

const hours = (d: string) => {
  const m = /^(\d+)h(\d+)m(\d+)s$/.exec(d);
  assert.ok(m, `duration ${d}`);
  return Number(m[1]) + Number(m[2]) / 60 + Number(m[3]) / 3600;
};

describe('linkerd', () => {
  const { tree, all, find, pathOf } = render();

  test('identity chain: self-signed P-256 root → ClusterIssuer → short-lived issuer in linkerd → trust bundle', () => {
    const root = find('Certificate', 'linkerd-trust-anchor', 'cert-manager');
    const selfSigned = find('Issuer', root.spec.issuerRef.name, 'cert-manager');
    assert.deepEqual(selfSigned.spec, { selfSigned: {} });
    const caIssuer = find('ClusterIssuer', 'linkerd-identity-issuer');
    assert.equal(caIssuer.spec.ca.secretName, root.spec.secretName, 'the ClusterIssuer signs with the root');
    const issuer = find('Certificate', 'linkerd-identity-issuer', 'linkerd');
    assert.deepEqual(issuer.spec.issuerRef, {
      kind: 'ClusterIssuer',
      name: 'linkerd-identity-issuer',
      group: 'cert-manager.io',
    });
    assert.equal(issuer.spec.secretName, 'linkerd-identity-issuer', 'the Secret name Linkerd reads');
    // The issuer's key rotates; the root's must not, or renewing it would break the trust bundle.
    assert.deepEqual(issuer.spec.privateKey, { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' });
    assert.deepEqual(root.spec.privateKey, { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Never' });
    for (const cert of [root, issuer]) {
      assert.equal(cert.spec.isCA, true);
      assert.ok(hours(cert.spec.renewBefore) < hours(cert.spec.duration));
    }
    assert.ok(hours(issuer.spec.duration) >= 1, 'cert-manager refuses durations under 1h');
    assert.ok(
      hours(issuer.spec.duration) - hours(issuer.spec.renewBefore) <= 1,
      'the issuer rotates at least hourly',
    );
    assert.equal(issuer.spec.duration, LIFETIMES.issuer.duration);
    const bundle = find('Bundle', 'linkerd-identity-trust-roots');
    assert.deepEqual(bundle.spec.sources, [{ secret: { name: root.spec.secretName, key: 'tls.crt' } }]);
    assert.equal(bundle.spec.target.configMap.key, 'ca-bundle.crt');
    const ns = find('Namespace', 'linkerd');
    for (const [k, v] of Object.entries(bundle.spec.target.namespaceSelector.matchLabels)) {
      assert.equal(ns.metadata?.labels?.[k], v, 'the trust bundle reaches the linkerd namespace');
    }
  });

  test('control plane trusts the external CA, uses the CNI and installs after its CRDs and the CNI', () => {
    const cp = find('HelmRelease', 'linkerd-control-plane', 'linkerd');
    assert.deepEqual(cp.spec.values.identity, { externalCA: true, issuer: { scheme: 'kubernetes.io/tls' } });
    assert.equal(cp.spec.values.cniEnabled, true);
    assert.equal(cp.spec.values.proxy.defaultInboundPolicy, 'all-authenticated');
    assert.deepEqual(cp.spec.dependsOn, [{ name: 'linkerd-crds' }, { name: 'linkerd-cni' }]);
    assert.equal(find('HelmRelease', 'linkerd-cni', 'linkerd').spec.targetNamespace, 'linkerd-cni');
    assert.equal(find('HelmRelease', 'linkerd-crds', 'linkerd').spec.values.installGatewayAPI, false);
    assert.match(pathOf(find('HelmRelease', 'cert-manager')), /^infrastructure\/crds\//);
    assert.match(pathOf(cp), /^infrastructure\/controllers\//);
    // Proxies get requests: an HPA on CPU utilization needs one on every container, injected ones too.
    assert.deepEqual(cp.spec.values.proxy.resources, {
      cpu: { request: '20m' },
      memory: { request: '32Mi', limit: '256Mi' },
    });
    assert.equal(
      find('Namespace', 'linkerd-cni').metadata?.labels?.['pod-security.kubernetes.io/enforce'],
      'privileged',
      'only the CNI namespace is privileged',
    );
    assert.ok(
      !all.some((o) => o.kind === 'HelmRelease' && o.metadata?.name === 'linkerd-viz'),
      'viz is off by default',
    );
  });

  test('identity is issued in its own layer, health-checked, before the control plane layer', () => {
    // Everything cert-manager and trust-manager must produce before Linkerd's identity can start.
    for (const kind of ['Issuer', 'ClusterIssuer', 'Certificate', 'Bundle'])
      for (const o of all.filter((x) => x.kind === kind))
        assert.match(pathOf(o), /^infrastructure\/identity\//, `${kind} ${o.metadata?.name}`);
    const stage = find('Kustomization', 'identity', 'flux-system');
    assert.deepEqual(stage.spec.dependsOn, [{ name: 'crds' }]);
    assert.equal(stage.spec.wait, true);
    assert.equal(stage.spec.path, './clusters/test-linkerd/infrastructure/identity');
    assert.deepEqual(find('Kustomization', 'controllers', 'flux-system').spec.dependsOn, [
      { name: 'identity' },
    ]);
    // kstatus cannot judge these kinds: each has a CEL check, so a stuck issuance fails this layer by name.
    const checked = new Set(stage.spec.healthCheckExprs.map((h: Obj) => `${h.apiVersion}/${h.kind}`));
    const staged = all.filter(
      (x) => pathOf(x).startsWith('infrastructure/identity/') && !x.apiVersion.startsWith('kustomize.config'),
    );
    assert.equal(staged.length, 5);
    for (const o of staged)
      assert.ok(checked.has(`${o.apiVersion}/${o.kind}`), `${o.kind} has a health check`);
    const certificate = stage.spec.healthCheckExprs.find((h: Obj) => h.kind === 'Certificate');
    assert.match(certificate.current, /e\.type == 'Ready' && e\.status == 'True'/);
  });

  test('app namespaces are injected with all-authenticated, stay restricted, and nothing commits audit', () => {
    for (const name of ['store', 'search']) {
      const ns = find('Namespace', name);
      assert.equal(ns.metadata?.annotations?.['linkerd.io/inject'], 'enabled');
      assert.equal(
        ns.metadata?.annotations?.['config.linkerd.io/default-inbound-policy'],
        'all-authenticated',
      );
      assert.equal(ns.metadata?.labels?.['pod-security.kubernetes.io/enforce'], 'restricted');
    }
    for (const [path, text] of tree) assert.doesNotMatch(text, /inbound-?policy["']?:\s*["']?audit/i, path);
  });

  test('each app port gets a Server; each caller route admits exactly the calling ServiceAccounts', () => {
    const server = find('Server', 'api-http', 'store');
    assert.deepEqual(server.spec.podSelector, { matchLabels: { 'meshproof/app': 'api' } });
    assert.equal(server.spec.port, 'http');
    // web may only GET /items on api.
    const route = find('HTTPRoute', 'api-get-items', 'store');
    assert.deepEqual(route.spec.parentRefs, [
      { group: 'policy.linkerd.io', kind: 'Server', name: 'api-http' },
    ]);
    assert.deepEqual(route.spec.rules, [
      { matches: [{ path: { type: 'PathPrefix', value: '/items' }, method: 'GET' }] },
    ]);
    // api is a canary app: the store loadtester may GET any path of it, /items included.
    const authn = find('MeshTLSAuthentication', 'api-get-items', 'store');
    assert.deepEqual(authn.spec.identityRefs, [
      { kind: 'ServiceAccount', name: 'flagger-loadtester', namespace: 'store' },
      { kind: 'ServiceAccount', name: 'web', namespace: 'store' },
    ]);
    const root = find('MeshTLSAuthentication', 'api-get-root', 'store');
    assert.deepEqual(root.spec.identityRefs, [
      { kind: 'ServiceAccount', name: 'flagger-loadtester', namespace: 'store' },
    ]);
    const policy = find('AuthorizationPolicy', 'api-get-items', 'store');
    assert.deepEqual(policy.spec.targetRef, {
      group: 'gateway.networking.k8s.io',
      kind: 'HTTPRoute',
      name: 'api-get-items',
    });
    assert.deepEqual(policy.spec.requiredAuthenticationRefs, [
      { group: 'policy.linkerd.io', kind: 'MeshTLSAuthentication', name: 'api-get-items' },
    ]);
    // web → search is unrestricted and crosses namespaces.
    const search = find('MeshTLSAuthentication', 'search-any-root', 'search');
    assert.deepEqual(search.spec.identityRefs, [{ kind: 'ServiceAccount', name: 'web', namespace: 'store' }]);
    // Nobody calls web: its Server admits only probes and Prometheus's scrapes.
    find('Server', 'web-http', 'store');
    const webRoutes = all.filter(
      (o) =>
        o.kind === 'HTTPRoute' && o.metadata?.namespace === 'store' && o.metadata?.name?.startsWith('web-'),
    );
    assert.deepEqual(
      webRoutes.map((o) => o.metadata?.name),
      ['web-metrics', 'web-probes'],
    );
  });

  test('probes stay authorized once routes exist (GET on the exact probe paths, by network); /metrics needs Prometheus mTLS', () => {
    const route = find('HTTPRoute', 'api-probes', 'store');
    assert.deepEqual(route.spec.rules, [
      {
        matches: ['/healthz', '/readyz'].map((value) => ({ path: { type: 'Exact', value }, method: 'GET' })),
      },
    ]);
    const net = find('NetworkAuthentication', 'api-probes', 'store');
    assert.ok(net.spec.networks.every((n: { cidr: string }) => !/^0\.0\.0\.0\/0$|^::\/0$/.test(n.cidr)));
    assert.deepEqual(find('AuthorizationPolicy', 'api-probes', 'store').spec.requiredAuthenticationRefs, [
      { group: 'policy.linkerd.io', kind: 'NetworkAuthentication', name: 'api-probes' },
    ]);
    const metrics = find('HTTPRoute', 'api-metrics', 'store');
    assert.deepEqual(metrics.spec.rules, [
      { matches: [{ path: { type: 'Exact', value: '/metrics' }, method: 'GET' }] },
    ]);
    assert.deepEqual(find('MeshTLSAuthentication', 'api-metrics', 'store').spec, {
      identities: ['kps-prometheus.monitoring.serviceaccount.identity.linkerd.cluster.local'],
    });
    // Without Prometheus there is nothing to scrape, so no metrics route.
    const bare = render((spec) => {
      spec.observability = { prometheus: false };
      for (const app of spec.apps) delete app.canary;
    });
    assert.ok(!bare.all.some((o) => o.kind === 'HTTPRoute' && o.metadata?.name?.endsWith('-metrics')));
  });

  test('Prometheus, Grafana and Flagger are meshed; Prometheus admits Flagger and Grafana by identity only', () => {
    const { all, find, pathOf } = render((spec) => {
      spec.observability = { prometheus: true, grafana: true };
    });
    const inject = { 'linkerd.io/inject': 'enabled' };
    const kps = find('HelmRelease', 'kube-prometheus-stack', 'monitoring');
    assert.deepEqual(kps.spec.values.prometheus.prometheusSpec.podMetadata, {
      labels: {},
      annotations: inject,
    });
    assert.deepEqual(kps.spec.values.grafana.podAnnotations, inject);
    assert.deepEqual(kps.spec.values.grafana.serviceAccount, { create: true, name: 'kps-grafana' });
    const flagger = find('HelmRelease', 'flagger', 'flagger-system');
    assert.deepEqual(flagger.spec.values.podAnnotations, inject, 'not left to the chart default');
    assert.deepEqual(flagger.spec.values.serviceAccount, { create: true, name: 'flagger' });
    // Pod-level injection: the rest of monitoring (operator, admission Jobs, tracing, logs) stays out.
    assert.equal(find('Namespace', 'flagger-system').metadata?.annotations?.['linkerd.io/inject'], undefined);
    assert.equal(find('Namespace', 'monitoring').metadata?.annotations?.['linkerd.io/inject'], undefined);
    // Prometheus follows the cluster default (all-authenticated here), not a cluster-networks opening.
    assert.doesNotMatch(JSON.stringify(kps.spec.values), /default-inbound-policy/);
    const server = find('Server', 'kps-prometheus-web', 'monitoring');
    assert.equal(pathOf(server), 'infrastructure/configs/linkerd.yaml', 'after the controllers layer');
    assert.deepEqual(server.spec, {
      podSelector: {
        matchLabels: {
          'app.kubernetes.io/name': 'prometheus',
          'operator.prometheus.io/name': 'kps-prometheus',
        },
      },
      port: 9090,
      proxyProtocol: 'HTTP/1',
    });
    const authz = find('AuthorizationPolicy', 'kps-prometheus-web', 'monitoring');
    assert.deepEqual(authz.spec, {
      targetRef: { group: 'policy.linkerd.io', kind: 'Server', name: 'kps-prometheus-web' },
      requiredAuthenticationRefs: [
        { group: 'policy.linkerd.io', kind: 'MeshTLSAuthentication', name: 'kps-prometheus-web-clients' },
      ],
    });
    assert.deepEqual(find('MeshTLSAuthentication', 'kps-prometheus-web-clients', 'monitoring').spec, {
      identities: [
        // Prometheus scrapes itself on its web port (the stack's selfMonitor ServiceMonitor), meshed.
        'kps-prometheus.monitoring.serviceaccount.identity.linkerd.cluster.local',
        'flagger.flagger-system.serviceaccount.identity.linkerd.cluster.local',
        'kps-grafana.monitoring.serviceaccount.identity.linkerd.cluster.local',
      ],
    });
    // No route on the Server, so Linkerd keeps authorizing Prometheus's kubelet probes by default.
    assert.ok(!all.some((o) => o.kind === 'HTTPRoute' && o.metadata?.namespace === 'monitoring'));
    assert.ok(!all.some((o) => o.kind === 'NetworkAuthentication' && o.metadata?.namespace === 'monitoring'));
    // Without Grafana and canaries Prometheus is still its own client (its self-scrape).
    const alone = render((spec) => {
      spec.observability = { prometheus: true, grafana: false };
      for (const app of spec.apps) delete app.canary;
    });
    const aloneAuthn = alone.all.find(
      (o) => o.kind === 'MeshTLSAuthentication' && o.metadata?.name === 'kps-prometheus-web-clients',
    ) as { spec: { identities: string[] } } | undefined;
    assert.deepEqual(aloneAuthn?.spec.identities, [
      'kps-prometheus.monitoring.serviceaccount.identity.linkerd.cluster.local',
    ]);
    // The Linkerd proxy needs no privileged init container (linkerd-cni), so `baseline` admits it.
    assert.equal(find('HelmRelease', 'linkerd-control-plane').spec.values.cniEnabled, true);
    for (const ns of ['monitoring', 'flagger-system'])
      assert.equal(
        find('Namespace', ns).metadata?.labels?.['pod-security.kubernetes.io/enforce'],
        'baseline',
      );
  });

  test('routing, timeouts and retries: a GAMMA route for search; the canary gets Service refs and apex annotations', () => {
    const route = find('HTTPRoute', 'search', 'search');
    assert.deepEqual(route.spec.parentRefs, [{ group: '', kind: 'Service', name: 'search', port: 8081 }]);
    assert.deepEqual(route.metadata?.annotations, {
      'retry.linkerd.io/http': '5xx',
      'retry.linkerd.io/limit': '2',
    });
    const last = route.spec.rules.at(-1);
    assert.deepEqual(
      last.backendRefs.map((b: { name: string; weight: number }) => [b.name, b.weight]),
      [
        ['search-v1', 90],
        ['search-v2', 10],
      ],
    );
    assert.equal(last.timeouts.request, '1500ms');
    assert.deepEqual(route.spec.rules[0].matches, [
      { headers: [{ type: 'Exact', name: 'x-beta', value: 'true' }] },
    ]);
    const canary = find('Canary', 'api', 'store');
    assert.equal(canary.spec.provider, 'gatewayapi:v1');
    assert.deepEqual(canary.spec.service.gatewayRefs, [
      { name: 'api', namespace: 'store', group: '', kind: 'Service', port: 9000 },
    ]);
    assert.ok(
      !all.some((o) => o.kind === 'HTTPRoute' && o.metadata?.name === 'api'),
      'Flagger owns the canary route',
    );
  });

  test('without default deny the apps get no Servers (the inbound default still requires mTLS under STRICT)', () => {
    const open = render((spec) => {
      spec.security = { mtls: 'STRICT', defaultDeny: false };
    });
    // Only the platform's own: the loadtester's webhook and Prometheus, each for its clients' identities.
    assert.deepEqual(
      open.all.filter((o) => o.kind === 'Server').map((o) => o.metadata?.name),
      ['flagger-loadtester-http', 'kps-prometheus-web'],
    );
    assert.equal(
      open.find('Namespace', 'store').metadata?.annotations?.['config.linkerd.io/default-inbound-policy'],
      'all-authenticated',
    );
    const permissive = render((spec) => {
      spec.security = { mtls: 'PERMISSIVE', mtlsReason: 'plugin test', defaultDeny: false };
    });
    assert.equal(
      permissive.find('HelmRelease', 'linkerd-control-plane').spec.values.proxy.defaultInboundPolicy,
      'all-unauthenticated',
    );
    // The loadtester runs what its webhook receives: Flagger's identity alone even when all else is open.
    assert.deepEqual(permissive.find('MeshTLSAuthentication', 'flagger-loadtester-webhook', 'store').spec, {
      identityRefs: [{ kind: 'ServiceAccount', name: 'flagger', namespace: 'flagger-system' }],
    });
    assert.ok(permissive.find('Server', 'kps-prometheus-web', 'monitoring'));
  });

  test('viz is rendered when the spec asks for it, after the control plane', () => {
    const viz = render((spec) => {
      const c = spec.clusters[0];
      if (c) c.linkerd = { viz: true };
    });
    const release = viz.find('HelmRelease', 'linkerd-viz', 'linkerd');
    assert.equal(release.spec.targetNamespace, 'linkerd-viz');
    assert.deepEqual(release.spec.dependsOn, [{ name: 'linkerd-control-plane' }]);
  });

  // cert-manager objects are checked by their typed models (render invariants); no trust-manager schema is pinned.
  test('Linkerd, Gateway API, Flux and Flagger objects match the pinned upstream CRD schemas', {
    skip: NO_UPSTREAM,
  }, async () => {
    const checked = all.filter((o) =>
      /(^|\.)linkerd\.io\/|^(gateway\.networking\.k8s\.io|[a-z]+\.toolkit\.fluxcd\.io|flagger\.app)\//.test(
        o.apiVersion,
      ),
    );
    assert.ok(checked.length >= 25, `only ${checked.length} objects checked`);
    assert.deepEqual(await schemaIssues(checked), []);
  });
});
