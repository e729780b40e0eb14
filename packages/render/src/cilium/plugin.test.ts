import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { findMirror, findRepoRoot } from '@meshproof/schemas';
import { parse, parseAllDocuments } from 'yaml';
import type { K8sObject } from '../model.ts';
import { NO_UPSTREAM, schemaIssues } from '../schema-check.ts';
import { renderTestCluster, type testSpec } from '../test-support.ts';
import { replaceDir } from '../write.ts';
import { TLSROUTE_V1ALPHA2_PATCH } from './gateway-api.ts';
import { VALUES_FILE } from './release.ts';
import { ciliumValues } from './values.ts';

// biome-ignore lint/suspicious/noExplicitAny: the tests walk parsed YAML, whose shape they assert.
type Obj = K8sObject & { spec: Record<string, any> };

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const NO_KUBECTL = kubectl.error || kubectl.status !== 0 ? 'kubectl is not installed' : false;
const mirror = findMirror(findRepoRoot(import.meta.dirname));

const render = (edit?: Parameters<typeof testSpec>[1]) => renderTestCluster<Obj>('cilium', edit);

/** The schema node for a dotted key path of the chart's values.schema.json, if the key exists. */
function schemaAt(schema: Record<string, unknown>, path: string[]): Record<string, unknown> | undefined {
  let node: Record<string, unknown> | undefined = schema;
  for (const key of path)
    node = (node?.properties as Record<string, Record<string, unknown>> | undefined)?.[key];
  return node;
}

function leaves(value: unknown, path: string[] = []): [string[], unknown][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  }
  return [[path, value]];
}

const jsonType = (v: unknown) => (v === null ? 'null' : Number.isInteger(v) ? 'integer' : typeof v);

describe('cilium', () => {
  const { cluster, tree, all, find } = render();

  test('kind runs without its default CNI and without kube-proxy', () => {
    const kind = parse(tree.get('kind.yaml') ?? '') as { networking: Record<string, unknown> };
    assert.equal(kind.networking.disableDefaultCNI, true);
    assert.equal(kind.networking.kubeProxyMode, 'none');
  });

  test('values: kube-proxy replacement against the kind API server, SPIRE, WireGuard, Hubble relay, no BPF masquerade', () => {
    const values = ciliumValues(cluster) as Obj['spec'];
    assert.equal(values.kubeProxyReplacement, true);
    assert.equal(values.k8sServiceHost, `${cluster.name}-control-plane`);
    assert.equal(values.k8sServicePort, 6443);
    assert.deepEqual(values.ipam, { mode: 'kubernetes' });
    assert.equal(values.gatewayAPI.enabled, true);
    assert.deepEqual(values.authentication.mutual.spire, { enabled: true, install: { enabled: true } });
    assert.deepEqual(values.encryption, { enabled: true, type: 'wireguard' });
    assert.equal(values.hubble.relay.enabled, true);
    assert.equal(values.bpf.masquerade, false);
    const off = render((spec) => {
      const c = spec.clusters[0];
      if (c) c.cilium = { mutualAuth: false, encryption: 'none' };
    });
    const offValues = ciliumValues(off.cluster) as Obj['spec'];
    assert.deepEqual(offValues.authentication.mutual.spire, { enabled: false, install: { enabled: false } });
    assert.deepEqual(offValues.encryption, { enabled: false });
    assert.ok(
      !JSON.stringify(off.all).includes('"authentication":{"mode"'),
      'no rule requires auth when it is off',
    );
  });

  test('every values key exists in the pinned chart values.schema.json with a matching type', {
    skip: mirror ? false : 'no upstream mirror',
  }, () => {
    const schema = JSON.parse(
      readFileSync(
        join(mirror as string, 'cilium/v1.19.4/install/kubernetes/cilium/values.schema.json'),
        'utf8',
      ),
    ) as Record<string, unknown>;
    const pairs = leaves(ciliumValues(cluster));
    assert.ok(pairs.length >= 12);
    for (const [path, value] of pairs) {
      const node = schemaAt(schema, path);
      assert.ok(node, `values key ${path.join('.')} is not in the chart schema`);
      const types = ([] as unknown[]).concat(node.type ?? []);
      assert.ok(
        types.includes(jsonType(value)) || (jsonType(value) === 'integer' && types.includes('number')),
        `${path.join('.')}: ${jsonType(value)} not in ${types}`,
      );
    }
  });

  test('one values file feeds both the pre-Flux helm install and the adopting HelmRelease', () => {
    const file = tree.get(`infrastructure/controllers/${VALUES_FILE}`);
    assert.ok(file, 'the values file is in the cluster tree');
    assert.deepEqual(parse(file), ciliumValues(cluster));
    assert.match(file, /helm install cilium cilium .*--version 1\.19\.4/);
    const release = find('HelmRelease', 'cilium', 'kube-system');
    assert.equal(release.spec.releaseName, 'cilium');
    assert.equal(release.spec.storageNamespace, 'kube-system');
    assert.equal(release.spec.targetNamespace, undefined, 'installs into its own namespace, kube-system');
    assert.equal(release.spec.values, undefined, 'no second copy of the values');
    assert.deepEqual(release.spec.valuesFrom, [
      { kind: 'ConfigMap', name: 'cilium-values', valuesKey: 'values.yaml' },
    ]);
    assert.equal(release.spec.chart.spec.version, '1.19.4');
    assert.equal(release.metadata?.annotations?.['kustomize.toolkit.fluxcd.io/prune'], 'Disabled');
  });

  test('kustomize generates the ConfigMap the HelmRelease reads, holding exactly the values file', {
    skip: NO_KUBECTL,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshproof-cilium-'));
    try {
      await replaceDir(join(dir, 'c'), new Map(tree));
      const built = spawnSync('kubectl', ['kustomize', join(dir, 'c', 'infrastructure/controllers')], {
        encoding: 'utf8',
      });
      assert.equal(built.status, 0, built.stderr);
      const cm = parseAllDocuments(built.stdout)
        .map((d) => d.toJS() as Obj & { data?: Record<string, string> })
        .find((o) => o.kind === 'ConfigMap' && o.metadata?.name === 'cilium-values');
      assert.ok(cm, 'ConfigMap cilium-values is generated');
      assert.equal(cm.metadata?.namespace, 'kube-system');
      assert.equal(cm.data?.['values.yaml'], tree.get(`infrastructure/controllers/${VALUES_FILE}`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('Gateway API CRDs are patched to serve TLSRoute v1alpha2, and the patch applies to the pinned CRD', {
    skip: NO_KUBECTL || (mirror ? false : 'no upstream mirror'),
  }, () => {
    const k = find('Kustomization', 'gateway-api-crds', 'flux-system');
    assert.deepEqual(k.spec.patches, [TLSROUTE_V1ALPHA2_PATCH]);
    const dir = mkdtempSync(join(tmpdir(), 'meshproof-gwapi-'));
    try {
      const crd = 'gateway-api/v1.5.1/config/crd/standard/gateway.networking.k8s.io_tlsroutes.yaml';
      writeFileSync(join(dir, 'crd.yaml'), readFileSync(join(mirror as string, crd)));
      writeFileSync(
        join(dir, 'kustomization.yaml'),
        JSON.stringify({ resources: ['crd.yaml'], patches: [TLSROUTE_V1ALPHA2_PATCH] }),
      );
      const built = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
      assert.equal(built.status, 0, built.stderr);
      const versions = (
        parse(built.stdout) as { spec: { versions: { name: string; served: boolean; storage: boolean }[] } }
      ).spec.versions;
      assert.deepEqual(
        versions.map((v) => [v.name, v.served, v.storage]),
        [
          ['v1', true, true],
          ['v1alpha2', true, false],
          ['v1alpha3', false, false],
        ],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const other = renderTestCluster('linkerd').tree;
    assert.doesNotMatch(
      other.get('infrastructure/crds/gateway-api.yaml') ?? '',
      /patches/,
      'only Cilium patches the CRDs',
    );
  });

  test('each app namespace denies by default and keeps DNS (through the DNS proxy)', () => {
    for (const ns of ['store', 'search']) {
      const p = find('CiliumNetworkPolicy', 'default-deny', ns);
      assert.deepEqual(p.spec.endpointSelector, {});
      assert.deepEqual(p.spec.ingress, [{}]);
      assert.equal(p.spec.egress.length, 1);
      const dns = p.spec.egress[0];
      assert.deepEqual(dns.toEndpoints, [
        { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' } },
      ]);
      assert.deepEqual(dns.toPorts[0].ports.map((x: { protocol: string }) => x.protocol).sort(), [
        'TCP',
        'UDP',
      ]);
      assert.deepEqual(dns.toPorts[0].rules, { dns: [{ matchPattern: '*' }] });
    }
  });

  test('callers are admitted by ServiceAccount with mutual auth and their L7 rules; callees are reachable egress', () => {
    const api = find('CiliumNetworkPolicy', 'api', 'store');
    const fromWeb = api.spec.ingress.find(
      (r: Obj['spec']) =>
        r.fromEndpoints?.[0]?.matchLabels?.['io.cilium.k8s.policy.serviceaccount'] === 'web',
    );
    assert.ok(fromWeb);
    assert.deepEqual(fromWeb.fromEndpoints, [
      {
        matchLabels: {
          'io.cilium.k8s.policy.serviceaccount': 'web',
          'k8s:io.kubernetes.pod.namespace': 'store',
        },
      },
    ]);
    assert.deepEqual(fromWeb.authentication, { mode: 'required' });
    assert.deepEqual(fromWeb.toPorts, [
      {
        ports: [{ port: '9000', protocol: 'TCP' }],
        rules: { http: [{ method: 'GET', path: '/items([/?].*)?' }] },
      },
    ]);
    const search = find('CiliumNetworkPolicy', 'search', 'search');
    const cross = search.spec.ingress.find((r: Obj['spec']) => r.authentication);
    assert.deepEqual(
      cross.toPorts[0].rules,
      { http: [{}] },
      'an unrestricted caller still goes through the L7 proxy',
    );
    const web = find('CiliumNetworkPolicy', 'web', 'store');
    assert.deepEqual(
      web.spec.egress.map((r: Obj['spec']) => [
        r.toEndpoints[0].matchLabels['meshproof/app'],
        r.toPorts[0].ports[0].port,
      ]),
      [
        ['api', '9000'],
        ['search', '8081'],
      ],
    );
    assert.ok(!web.spec.ingress.some((r: Obj['spec']) => r.authentication), 'nobody calls web');
  });

  test('no plain L4 allow shares a port with L7 rules (it would make them ineffective)', () => {
    for (const p of all.filter((o) => o.kind === 'CiliumNetworkPolicy')) {
      for (const rule of p.spec.ingress ?? []) {
        for (const tp of rule.toPorts ?? [])
          assert.ok(
            tp.rules?.http,
            `${p.metadata?.namespace}/${p.metadata?.name}: ingress port rule without HTTP rules`,
          );
      }
    }
  });

  test('probes (kubelet on the host) and Prometheus scrapes stay allowed, GET on their paths only', () => {
    const api = find('CiliumNetworkPolicy', 'api', 'store');
    const host = api.spec.ingress.find((r: Obj['spec']) => r.fromEntities?.includes('host'));
    assert.deepEqual(host.toPorts[0].rules.http, [
      { method: 'GET', path: '/healthz([/?].*)?' },
      { method: 'GET', path: '/readyz([/?].*)?' },
    ]);
    const prom = api.spec.ingress.find(
      (r: Obj['spec']) =>
        r.fromEndpoints?.[0]?.matchLabels?.['k8s:io.kubernetes.pod.namespace'] === 'monitoring',
    );
    assert.deepEqual(prom.toPorts[0].rules.http, [{ method: 'GET', path: '/metrics' }]);
  });

  test('/metrics admits Prometheus by its ServiceAccount, not every pod of the monitoring namespace', () => {
    for (const p of all.filter(
      (o) => o.kind === 'CiliumNetworkPolicy' && o.metadata?.name !== 'default-deny',
    )) {
      for (const rule of p.spec.ingress ?? []) {
        const monitoring = (rule.fromEndpoints ?? []).filter(
          (e: Obj['spec']) => e.matchLabels?.['k8s:io.kubernetes.pod.namespace'] === 'monitoring',
        );
        for (const e of monitoring)
          assert.deepEqual(
            e.matchLabels,
            {
              'io.cilium.k8s.policy.serviceaccount': 'kps-prometheus',
              'k8s:io.kubernetes.pod.namespace': 'monitoring',
            },
            `${p.metadata?.namespace}/${p.metadata?.name}: monitoring peer without Prometheus's ServiceAccount`,
          );
      }
    }
    const api = find('CiliumNetworkPolicy', 'api', 'store');
    assert.ok(
      api.spec.ingress.some((r: Obj['spec']) =>
        r.fromEndpoints?.some(
          (e: Obj['spec']) => e.matchLabels?.['io.cilium.k8s.policy.serviceaccount'] === 'kps-prometheus',
        ),
      ),
      'the scrape rule exists',
    );
  });

  test('routing: GAMMA route with weights and the timeout; the canary points Flagger at the Service', () => {
    const route = find('HTTPRoute', 'search', 'search');
    assert.deepEqual(route.spec.parentRefs, [{ group: '', kind: 'Service', name: 'search', port: 8081 }]);
    assert.equal(route.metadata?.annotations, undefined, 'no mesh annotations on Cilium routes');
    assert.equal(route.spec.rules.at(-1).timeouts.request, '1500ms');
    const canary = find('Canary', 'api', 'store');
    assert.equal(canary.spec.provider, 'gatewayapi:v1');
    assert.deepEqual(canary.spec.service.gatewayRefs, [
      { name: 'api', namespace: 'store', group: '', kind: 'Service', port: 9000 },
    ]);
  });

  test('Cilium, Gateway API, Flux and Flagger objects match the pinned upstream CRD schemas', {
    skip: NO_UPSTREAM,
  }, async () => {
    const checked = all.filter((o) =>
      /^(cilium\.io|gateway\.networking\.k8s\.io|[a-z]+\.toolkit\.fluxcd\.io|flagger\.app)\//.test(
        o.apiVersion,
      ),
    );
    assert.ok(checked.length >= 10, `only ${checked.length} objects checked`);
    assert.deepEqual(await schemaIssues(checked), []);
  });
});
