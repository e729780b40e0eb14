import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import type { Mesh } from '@meshproof/spec';
import { validatePlatform } from '@meshproof/spec';
import config from '../../../meshproof.config.ts';
import type { K8sObject } from './model.ts';
import { renderCluster } from './render-cluster.ts';
import { objectsOf, registeredMeshes, renderTestCluster } from './test-support.ts';

// The platform's own clients are meshed and authorized by identity: the Flagger loadtester (which
// runs the commands its webhook receives) admits Flagger alone, and on Linkerd Prometheus's web port
// admits Flagger and Grafana alone. Read back from the rendered objects, the way each mesh evaluates
// them (no renderer code), so that any plaintext or any-source opening that returns fails here.

// biome-ignore lint/suspicious/noExplicitAny: the checks walk parsed YAML.
type Yaml = any;
type Obj = K8sObject & { spec: Yaml };
type Labels = Record<string, string>;

const ANY = '<any source>';
const FLAGGER_PRINCIPAL = 'cluster.local/ns/flagger-system/sa/flagger';
const linkerdIdentity = (ns: string, sa: string) =>
  `${sa}.${ns}.serviceaccount.identity.linkerd.cluster.local`;
const FLAGGER_IDENTITY = linkerdIdentity('flagger-system', 'flagger');
const GRAFANA_IDENTITY = linkerdIdentity('monitoring', 'kps-grafana');
const FLAGGER_PEER = {
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'flagger-system' } },
  podSelector: {
    matchLabels: { 'app.kubernetes.io/name': 'flagger', 'app.kubernetes.io/instance': 'flagger' },
  },
};
const FLAGGER_ENDPOINT = {
  'io.cilium.k8s.policy.serviceaccount': 'flagger',
  'k8s:io.kubernetes.pod.namespace': 'flagger-system',
};
/** The loadtester pods' labels (the chart's `app` and meshproof's) and its webhook port. */
const LOADTESTER: Labels = { app: 'loadtester', 'meshproof/app': 'flagger-loadtester' };
const WEBHOOK_PORT = 8080;
const PROMETHEUS: Labels = {
  'app.kubernetes.io/name': 'prometheus',
  'operator.prometheus.io/name': 'kps-prometheus',
};
const PROMETHEUS_PORT = 9090;

function selects(selector: Yaml, labels: Labels): boolean {
  const ok = Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return (
    ok &&
    (selector?.matchExpressions ?? []).every((e: Yaml) => {
      const value = labels[e.key];
      if (e.operator === 'In') return value !== undefined && e.values.includes(value);
      if (e.operator === 'NotIn') return value === undefined || !e.values.includes(value);
      if (e.operator === 'Exists') return value !== undefined;
      return value === undefined;
    })
  );
}

const inNs = (objects: Obj[], kind: string, ns: string) =>
  objects.filter((o) => o.kind === kind && o.metadata?.namespace === ns);
const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

/** Istio: the sources that reach the loadtester pods' webhook port, after DENY and ALLOW rules. */
function istioLoadtester(objects: Obj[], ns: string): string[] {
  const problems: string[] = [];
  for (const pa of objects.filter((o) => o.kind === 'PeerAuthentication')) {
    const modes = [
      pa.spec.mtls?.mode,
      ...Object.values(pa.spec.portLevelMtls ?? {}).map((m: Yaml) => m.mode),
    ];
    for (const mode of modes.filter((m) => m !== undefined && m !== 'STRICT'))
      problems.push(`PeerAuthentication ${pa.metadata?.namespace}/${pa.metadata?.name}: ${mode}`);
  }
  const onPods = [
    ...inNs(objects, 'AuthorizationPolicy', ns),
    ...inNs(objects, 'AuthorizationPolicy', 'istio-system'),
  ].filter((p) => !p.spec.targetRefs && !p.spec.targetRef && selects(p.spec.selector, LOADTESTER));
  const onPort = (rule: Yaml) =>
    !rule.to ||
    rule.to.some((t: Yaml) => !t.operation?.ports || t.operation.ports.includes(String(WEBHOOK_PORT)));
  const rules = (action: string) =>
    onPods
      .filter((p) => (p.spec.action ?? 'ALLOW') === action)
      .flatMap((p) => (p.spec.rules ?? []).filter(onPort));
  const deny = rules('DENY');
  // A source with anything but principals (no `from`, namespaces, ipBlocks) is any source to us.
  const sources = (rule: Yaml): string[] =>
    !rule.from
      ? [ANY]
      : rule.from.flatMap((f: Yaml) =>
          Object.keys(f.source ?? {}).every((k) => k === 'principals') && f.source?.principals
            ? f.source.principals
            : [ANY],
        );
  const denied = (p: string) =>
    deny.some(
      (r: Yaml) =>
        !r.from ||
        r.from.some((f: Yaml) =>
          f.source?.notPrincipals ? !f.source.notPrincipals.includes(p) : f.source?.principals?.includes(p),
        ),
    );
  // An any-source ALLOW still reaches whatever a DENY's notPrincipals spares.
  const spared = deny.flatMap((r) => r.from ?? []).flatMap((f: Yaml) => f.source?.notPrincipals ?? []);
  const admitted = rules('ALLOW')
    .flatMap(sources)
    .flatMap((s) => (s === ANY && spared.length > 0 ? spared : [s]))
    .filter((s) => s === ANY || !denied(s));
  // A waypoint admitted on the pods passes whatever the rules attached to the Service admit.
  const waypoint = `cluster.local/ns/${ns}/sa/waypoint`;
  const onService = inNs(objects, 'AuthorizationPolicy', ns).filter((p) =>
    (p.spec.targetRefs ?? []).some((r: Yaml) => r.kind === 'Service' && r.name === 'flagger-loadtester'),
  );
  const viaWaypoint = onService.flatMap((p) =>
    p.spec.action === 'ALLOW' ? (p.spec.rules ?? []).flatMap(sources) : [],
  );
  const effective = admitted.flatMap((s) => (s === waypoint ? viaWaypoint : [s]));
  if (admitted.includes(waypoint) && viaWaypoint.length === 0)
    problems.push('waypoint admitted, no Service rule');
  const got = sorted(effective);
  if (!isDeepStrictEqual(got, [FLAGGER_PRINCIPAL])) problems.push(`loadtester admits ${got.join(', ')}`);
  return problems;
}

/** Linkerd: the identities each authorization on a Server (or its routes, or its namespace) requires. */
function linkerdServer(
  objects: Obj[],
  ns: string,
  labels: Labels,
  port: number,
  expected: string[],
): string[] {
  const servers = inNs(objects, 'Server', ns).filter(
    (s) => selects(s.spec.podSelector, labels) && (s.spec.port === port || s.spec.port === 'http'),
  );
  if (servers.length !== 1)
    return [`${ns}: ${servers.length} Servers on port ${port} (the default policy applies)`];
  const server = servers[0] as Obj;
  const routes = inNs(objects, 'HTTPRoute', ns)
    .filter((r) =>
      (r.spec.parentRefs ?? []).some((p: Yaml) => p.kind === 'Server' && p.name === server.metadata?.name),
    )
    .map((r) => r.metadata?.name);
  const authz = inNs(objects, 'AuthorizationPolicy', ns).filter((a) => {
    const t = a.spec.targetRef;
    return (
      (t.kind === 'Server' && t.name === server.metadata?.name) ||
      (t.kind === 'HTTPRoute' && routes.includes(t.name)) ||
      t.kind === 'Namespace'
    );
  });
  const problems: string[] = [];
  if (authz.length === 0 && expected.length > 0)
    problems.push(`${ns}/${server.metadata?.name}: nobody is authorized`);
  for (const a of authz) {
    const identities = (a.spec.requiredAuthenticationRefs ?? []).flatMap((ref: Yaml) => {
      if (ref.kind !== 'MeshTLSAuthentication') return [`${ref.kind} ${ref.name}`];
      const authn = inNs(objects, 'MeshTLSAuthentication', ns).find((m) => m.metadata?.name === ref.name);
      return [
        ...(authn?.spec.identities ?? []),
        ...(authn?.spec.identityRefs ?? []).map((r: Yaml) =>
          r.kind === 'ServiceAccount' ? linkerdIdentity(r.namespace ?? ns, r.name) : `${r.kind} ${r.name}`,
        ),
      ];
    });
    const got = sorted(identities);
    if (!isDeepStrictEqual(got, sorted(expected)))
      problems.push(`${ns}/${a.metadata?.name} admits ${got.join(', ') || ANY}`);
  }
  return problems;
}

function linkerdPrometheus(objects: Obj[]): string[] {
  const kps = objects.find((o) => o.kind === 'HelmRelease' && o.metadata?.name === 'kube-prometheus-stack');
  if (!kps) return [];
  const problems: string[] = [];
  const policy =
    kps.spec.values.prometheus.prometheusSpec.podMetadata?.annotations?.[
      'config.linkerd.io/default-inbound-policy'
    ];
  if (policy !== undefined) problems.push(`Prometheus pods: default-inbound-policy ${policy}`);
  const flagger = objects.some((o) => o.kind === 'HelmRelease' && o.metadata?.name === 'flagger');
  // Prometheus scrapes its own web port (selfMonitor), so its identity is always a client.
  const clients = [
    linkerdIdentity('monitoring', 'kps-prometheus'),
    ...(flagger ? [FLAGGER_IDENTITY] : []),
    ...(kps.spec.values.grafana?.enabled ? [GRAFANA_IDENTITY] : []),
  ];
  return [...problems, ...linkerdServer(objects, 'monitoring', PROMETHEUS, PROMETHEUS_PORT, clients)];
}

/** Cilium: every ingress peer of the loadtester's webhook port. `{}` as a rule selects no peer. */
function ciliumLoadtester(objects: Obj[], ns: string): string[] {
  const problems: string[] = [];
  for (const p of inNs(objects, 'CiliumNetworkPolicy', ns).filter((o) =>
    selects(o.spec.endpointSelector, LOADTESTER),
  )) {
    for (const rule of p.spec.ingress ?? []) {
      const ports = (rule.toPorts ?? []).flatMap((t: Yaml) => t.ports ?? []).map((x: Yaml) => Number(x.port));
      if (ports.length > 0 && !ports.includes(WEBHOOK_PORT)) continue;
      for (const key of Object.keys(rule).filter((k) => k.startsWith('from') && k !== 'fromEndpoints'))
        problems.push(`${p.metadata?.name}: ${key}`);
      for (const e of rule.fromEndpoints ?? [])
        if (!isDeepStrictEqual(e, { matchLabels: FLAGGER_ENDPOINT }))
          problems.push(`${p.metadata?.name}: from ${JSON.stringify(e)}`);
    }
  }
  return problems;
}

/** Kubernetes NetworkPolicy: every ingress peer of the loadtester's webhook port (no `from`: Yamlone). */
function networkPolicyLoadtester(objects: Obj[], ns: string): string[] {
  const problems: string[] = [];
  for (const p of inNs(objects, 'NetworkPolicy', ns).filter((o) => selects(o.spec.podSelector, LOADTESTER))) {
    for (const rule of p.spec.ingress ?? []) {
      const ports = (rule.ports ?? []).map((x: Yaml) => x.port);
      if (ports.length > 0 && !ports.includes(WEBHOOK_PORT)) continue;
      for (const peer of rule.from ?? [ANY])
        if (!isDeepStrictEqual(peer, FLAGGER_PEER))
          problems.push(`${p.metadata?.name}: from ${JSON.stringify(peer)}`);
    }
  }
  return problems;
}

/** Every opening to the loadtester of `ns` (and, on Linkerd, to Prometheus) beyond the platform's clients. */
export function openings(mesh: Mesh, objects: Obj[], ns: string): string[] {
  switch (mesh) {
    case 'istio-ambient':
    case 'istio-sidecar':
      return istioLoadtester(objects, ns);
    case 'linkerd':
      return [
        ...linkerdServer(objects, ns, LOADTESTER, WEBHOOK_PORT, [FLAGGER_IDENTITY]),
        ...linkerdPrometheus(objects),
      ];
    case 'cilium':
      return ciliumLoadtester(objects, ns);
    case 'none':
      return networkPolicyLoadtester(objects, ns);
  }
}

/** What enrols a pod in each mesh, and which platform components must carry it there. */
const ENROLMENT: Partial<Record<Mesh, { key: string; value: string; labels: boolean; grafana: boolean }>> = {
  'istio-ambient': { key: 'istio.io/dataplane-mode', value: 'ambient', labels: true, grafana: true },
  'istio-sidecar': { key: 'sidecar.istio.io/inject', value: 'true', labels: true, grafana: false },
  linkerd: { key: 'linkerd.io/inject', value: 'enabled', labels: false, grafana: true },
};

const withGrafana = (spec: Parameters<NonNullable<Parameters<typeof renderTestCluster>[1]>>[0]) => {
  spec.observability = { prometheus: true, grafana: true };
};

for (const mesh of registeredMeshes()) {
  describe(`platform clients: ${mesh}`, () => {
    const { all, find } = renderTestCluster<Obj>(mesh, withGrafana);

    test('Flagger runs as its named ServiceAccount and is enrolled in the mesh (Grafana too where Prometheus needs it)', () => {
      const flagger = find('HelmRelease', 'flagger', 'flagger-system').spec.values;
      assert.deepEqual(flagger.serviceAccount, { create: true, name: 'flagger' });
      const grafana = find('HelmRelease', 'kube-prometheus-stack', 'monitoring').spec.values.grafana;
      const e = ENROLMENT[mesh];
      if (!e) {
        assert.equal(flagger.podLabels, undefined);
        assert.equal(flagger.podAnnotations, undefined);
        return;
      }
      const field = e.labels ? 'podLabels' : 'podAnnotations';
      assert.equal(flagger[field]?.[e.key], e.value);
      assert.equal(grafana[field]?.[e.key], e.grafana ? e.value : undefined);
    });

    test("the loadtester admits Flagger's identity alone; no plaintext or any-source opening", () => {
      assert.deepEqual(openings(mesh, all, 'store'), []);
    });
  });
}

test('meshproof.config.ts: on every cluster the loadtesters admit Flagger alone (and Prometheus its clients)', () => {
  const result = validatePlatform(config);
  assert.ok(result.ok);
  const { platform } = result;
  for (const cluster of platform.clusters) {
    const all = objectsOf(renderCluster(platform, cluster)).map((e) => e.object as Obj);
    const namespaces = sorted(
      all
        .filter((o) => o.kind === 'HelmRelease' && o.metadata?.name === 'flagger-loadtester')
        .map((o) => o.metadata?.namespace ?? ''),
    );
    assert.ok(namespaces.length > 0);
    for (const ns of namespaces)
      assert.deepEqual(openings(cluster.mesh, all, ns), [], `${cluster.name} ${ns}`);
  }
});

describe('the opening checks fail on the former plaintext shapes', () => {
  const render = (mesh: Mesh) => structuredClone(renderTestCluster<Obj>(mesh, withGrafana).all);
  const named = (objects: Obj[], kind: string, name: string, ns = 'store') => {
    const o = objects.find(
      (x) => x.kind === kind && x.metadata?.name === name && x.metadata?.namespace === ns,
    );
    assert.ok(o, `${kind} ${name}`);
    return o;
  };

  test('istio: a PERMISSIVE loadtester, a source-less allow rule, a missing DENY (Prometheus on an app port)', () => {
    const permissive = render('istio-sidecar');
    permissive.push({
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'flagger-loadtester-permissive', namespace: 'store' },
      spec: {
        selector: { matchLabels: { 'meshproof/app': 'flagger-loadtester' } },
        mtls: { mode: 'PERMISSIVE' },
      },
    });
    assert.match(openings('istio-sidecar', permissive, 'store').join('\n'), /PERMISSIVE/);
    // The DENY spares Flagger alone, so only without it does a source-less allow rule open the port.
    const sourceless = render('istio-sidecar').filter(
      (o) => o.metadata?.name !== 'flagger-loadtester-deny-others',
    );
    assert.deepEqual(openings('istio-sidecar', sourceless, 'store'), []);
    delete named(sourceless, 'AuthorizationPolicy', 'flagger-loadtester-allow-flagger').spec.rules[0].from;
    assert.match(openings('istio-sidecar', sourceless, 'store').join('\n'), /<any source>/);
    // web listens on 8080, the webhook port: allow-prometheus admits Prometheus there but for the DENY.
    const ambient = render('istio-ambient').filter(
      (o) => o.metadata?.name !== 'flagger-loadtester-deny-others',
    );
    assert.match(openings('istio-ambient', ambient, 'store').join('\n'), /kps-prometheus/);
    const openService = render('istio-ambient');
    delete named(openService, 'AuthorizationPolicy', 'flagger-loadtester-waypoint-allow-flagger').spec
      .rules[0].from;
    assert.match(openings('istio-ambient', openService, 'store').join('\n'), /<any source>/);
  });

  test('linkerd: the cluster networks on the webhook route, an unauthenticated Prometheus, an extra reader', () => {
    const network = render('linkerd');
    named(network, 'AuthorizationPolicy', 'flagger-loadtester-webhook').spec.requiredAuthenticationRefs = [
      { group: 'policy.linkerd.io', kind: 'NetworkAuthentication', name: 'flagger-loadtester-webhook' },
    ];
    assert.match(openings('linkerd', network, 'store').join('\n'), /NetworkAuthentication/);
    const unauthenticated = render('linkerd');
    const kps = named(unauthenticated, 'HelmRelease', 'kube-prometheus-stack', 'monitoring');
    kps.spec.values.prometheus.prometheusSpec.podMetadata.annotations[
      'config.linkerd.io/default-inbound-policy'
    ] = 'cluster-unauthenticated';
    const noServer = unauthenticated.filter(
      (o) => o.kind !== 'Server' || o.metadata?.namespace !== 'monitoring',
    );
    assert.deepEqual(
      openings('linkerd', noServer, 'store').map((p) => p.split(':')[0]),
      ['Prometheus pods', 'monitoring'],
    );
    const extra = render('linkerd');
    named(extra, 'MeshTLSAuthentication', 'kps-prometheus-web-clients', 'monitoring').spec.identities.push(
      linkerdIdentity('store', 'web'),
    );
    assert.match(openings('linkerd', extra, 'store').join('\n'), /web\.store/);
  });

  test('cilium and NetworkPolicy: a cluster-wide peer, Prometheus scraping the webhook port', () => {
    const cilium = render('cilium');
    named(cilium, 'CiliumNetworkPolicy', 'flagger-loadtester').spec.ingress[0].fromEntities = ['cluster'];
    assert.match(openings('cilium', cilium, 'store').join('\n'), /fromEntities/);
    const baseline = render('none');
    named(baseline, 'NetworkPolicy', 'allow-prometheus-scrape').spec.podSelector = {};
    assert.match(openings('none', baseline, 'store').join('\n'), /prometheus/);
  });
});
