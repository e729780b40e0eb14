// Who may call whom, on every mesh: each rendered cluster's policies, read by a model of the mesh
// that enforces them (<mesh>/test-model.ts), admit exactly the requests the spec's `calls` allow.
// Identities come from the rendered Deployments (their ServiceAccounts), so a policy naming any other
// principal admits nobody. Anything the spec does not mention is denied: an app nobody calls, a pod
// the spec does not know, a method or path outside every call.
// The tests live beside each mesh (<folder>/who-may-call-whom.test.ts), so a mutation in one mesh's
// policy code runs only that mesh's file; who-may-call-whom.test.ts checks every enforcement has one.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { App, Call, PlatformInput } from '@meshproof/spec';
import { networkPolicyAllows } from './baseline/test-model.ts';
import { ciliumAllows } from './cilium/test-model.ts';
import { LOADTESTER_PORT, LOADTESTER_WEBHOOK_PATH } from './flagger/loadtester.ts';
import { sidecarAllows, waypointAllows, ztunnelAllows } from './istio/test-model.ts';
import { linkerdVerdict } from './linkerd/test-model.ts';
import { meshPlugin } from './meshes.ts';
import {
  appPods,
  flaggerPod,
  intruderPod,
  loadtesterPod,
  type Obj,
  type Pod,
  prometheusPod,
  type Request,
  requestName,
} from './test-pods.ts';
import { renderTestCluster } from './test-support.ts';
import { APP_LABEL, LOADTESTER, PORT_NAME } from './workload/names.ts';

/** The test spec plus a caller from another namespace with methods and paths, and one without a port. */
function callers(spec: PlatformInput): void {
  spec.apps.push(
    {
      name: 'admin',
      namespace: 'ops',
      image: 'example/admin:1.0.0',
      port: 8082,
      versions: [{ name: 'v1', weight: 100 }],
      calls: [
        { app: 'api', methods: ['POST', 'DELETE'], paths: ['/items/admin', '/health/'] },
        { app: 'search', methods: ['GET'], paths: ['/'] },
      ],
    },
    {
      name: 'worker',
      namespace: 'ops',
      image: 'example/worker:1.0.0',
      versions: [{ name: 'v1', weight: 100 }],
      calls: [{ app: 'web' }],
    },
  );
}

const METHODS = ['GET', 'POST', 'DELETE'];
const PATHS = [
  '/',
  '/items',
  '/items/1',
  '/itemsx',
  '/items/admin',
  '/items/admin/x',
  '/health',
  '/health/x',
  '/other',
];

/** Gateway API PathPrefix semantics, which every mesh's rules must reproduce. */
const covers = (prefix: string, path: string) =>
  prefix === '/' ||
  path === prefix.replace(/\/$/, '') ||
  path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
const callCovers = (call: Call, method: string, path: string) =>
  (call.methods === undefined || (call.methods as string[]).includes(method)) &&
  (call.paths === undefined || call.paths.some((p) => covers(p, path)));

/**
 * What the spec allows. `l7`: the enforcement point sees methods and paths; otherwise any request
 * on the port of an allowed caller passes. The loadtester (generated for a canary) GETs its
 * namespace's canary apps; Flagger alone POSTs to the loadtester's webhook.
 */
export function allowedBySpec(apps: App[], r: Request, l7: boolean): boolean {
  const appOf = (pod: Pod) =>
    apps.find((a) => a.name === pod.labels[APP_LABEL] && a.namespace === pod.namespace);
  if (r.to.labels[APP_LABEL] === LOADTESTER)
    return (
      r.from === flaggerPod &&
      r.port === LOADTESTER_PORT &&
      (!l7 || (r.method === 'POST' && r.path === LOADTESTER_WEBHOOK_PATH))
    );
  const callee = appOf(r.to);
  if (!callee || r.port !== callee.port) return false;
  if (r.from.labels[APP_LABEL] === LOADTESTER)
    return (
      callee.canary?.enabled === true && callee.namespace === r.from.namespace && (!l7 || r.method === 'GET')
    );
  const caller = appOf(r.from);
  return (caller?.calls ?? []).some((c) => c.app === callee.name && (!l7 || callCovers(c, r.method, r.path)));
}

export interface Enforcement {
  mesh: 'none' | 'istio-sidecar' | 'istio-ambient' | 'linkerd' | 'cilium';
  edit?: (spec: PlatformInput) => void;
  /** Whether the enforcement point between two apps sees HTTP. */
  l7: boolean;
  allows: (all: Obj[], r: Request) => boolean;
}

// The Service a caller addresses: the apex, except the loadtester, which loads `<app>-canary`.
const serviceOf = (r: Request) =>
  r.from.labels[APP_LABEL] === LOADTESTER
    ? `${r.to.labels[APP_LABEL]}-canary`
    : (r.to.labels[APP_LABEL] ?? '');

export const ENFORCEMENTS: Record<string, Enforcement> = {
  'none (NetworkPolicy)': { mesh: 'none', l7: false, allows: networkPolicyAllows },
  'istio-sidecar': { mesh: 'istio-sidecar', l7: true, allows: sidecarAllows },
  'istio-ambient with a waypoint': {
    mesh: 'istio-ambient',
    l7: true,
    allows: (all, r) => waypointAllows(all, r, serviceOf(r), 'waypoint'),
  },
  'istio-ambient without a waypoint': {
    mesh: 'istio-ambient',
    // ztunnel alone sees no HTTP: the spec refuses methods and paths there.
    edit: (s) => {
      for (const c of s.clusters) c.istio = { waypoint: false };
      for (const a of s.apps) a.calls = a.calls?.map(({ app }) => ({ app }));
    },
    l7: false,
    allows: (all, r) => ztunnelAllows(all, r),
  },
  linkerd: { mesh: 'linkerd', l7: true, allows: (all, r) => linkerdVerdict(all, r, PORT_NAME) === 'allowed' },
  'cilium with mutual authentication': { mesh: 'cilium', l7: true, allows: ciliumAllows },
  'cilium without mutual authentication': {
    mesh: 'cilium',
    edit: (s) => {
      for (const c of s.clusters) c.cilium = { mutualAuth: false };
    },
    l7: true,
    allows: ciliumAllows,
  },
};

const worlds = new Map<string, ReturnType<typeof render>>();
/** The rendered cluster of an enforcement, its pods and every request between them (rendered once). */
export function world(e: Enforcement, defaultDeny = true) {
  const id = `${Object.keys(ENFORCEMENTS).find((k) => ENFORCEMENTS[k] === e)}|${defaultDeny}`;
  const known = worlds.get(id);
  if (known) return known;
  const w = render(e, defaultDeny);
  worlds.set(id, w);
  return w;
}

function render(e: Enforcement, defaultDeny: boolean) {
  const rendered = renderTestCluster<Obj>(e.mesh, (s) => {
    callers(s);
    e.edit?.(s);
    s.security = { defaultDeny };
  });
  const apps = appPods(rendered.all);
  const canaryNamespaces = [
    ...new Set(rendered.platform.apps.filter((a) => a.canary?.enabled).map((a) => a.namespace)),
  ];
  const namespaces = [...new Set(rendered.platform.apps.map((a) => a.namespace))];
  const loadtesters = canaryNamespaces.map(loadtesterPod);
  const sources: Pod[] = [...apps, ...loadtesters, ...namespaces.map(intruderPod), flaggerPod];
  const targets = [
    ...apps.filter((p) => p.port !== undefined).map((p) => ({ pod: p as Pod, port: p.port as number })),
    ...loadtesters.map((pod) => ({ pod, port: LOADTESTER_PORT })),
  ];
  const requests = sources.flatMap((from) =>
    targets.flatMap(({ pod: to, port }) =>
      METHODS.flatMap((method) => PATHS.map((path): Request => ({ from, to, port, method, path }))),
    ),
  );
  // What the e2e probes are told this cluster enforces (methods and paths of calls).
  const cluster = rendered.cluster;
  const enforcesCallLimits = meshPlugin(e.mesh).zeroTrust.enforcesCallLimits({
    platform: rendered.platform,
    cluster,
  });
  return { ...rendered, apps, requests, enforcesCallLimits };
}

/** The enforcement of that name (a typo fails the test file at once). */
export function enforcement(name: string): Enforcement {
  const e = ENFORCEMENTS[name];
  if (!e) throw new Error(`no enforcement "${name}"`);
  return e;
}

/** The three tests every enforcement passes: the request matrix, the probes' facts, no default deny. */
export function describeWhoMayCallWhom(name: string): void {
  const e = enforcement(name);
  describe(`who may call whom: ${name}`, () => {
    const w = world(e);

    test('every request is admitted exactly when the spec allows it', () => {
      assert.ok(w.apps.length >= 6 && w.requests.length > 1000, 'the spec renders its apps');
      let admitted = 0;
      for (const r of w.requests) {
        const expected = allowedBySpec(w.platform.apps, r, e.l7);
        assert.equal(e.allows(w.all, r), expected, `${requestName(r)}: ${expected ? 'refused' : 'admitted'}`);
        if (expected) admitted++;
      }
      // Not a vacuous pass: the matrix holds both outcomes, every caller of the spec included.
      assert.ok(admitted > 30 && admitted < w.requests.length / 4, `${admitted} admitted`);
    });

    test("the probes' facts say methods and paths are enforced exactly when they are", () => {
      assert.equal(w.enforcesCallLimits, e.l7);
    });

    test('without default deny nothing is refused (Linkerd still keeps the loadtester for Flagger)', () => {
      const open = world(e, false);
      for (const r of open.requests) {
        const keptForFlagger = e.mesh === 'linkerd' && r.to.labels[APP_LABEL] === LOADTESTER;
        const expected = keptForFlagger ? allowedBySpec(open.platform.apps, r, true) : true;
        assert.equal(
          e.allows(open.all, r),
          expected,
          `${requestName(r)}: ${expected ? 'refused' : 'admitted'}`,
        );
      }
      assert.equal(open.enforcesCallLimits, false);
    });
  });
}

/**
 * Prometheus reads /metrics on every app port where it scrapes the app port itself. `onlyMetrics`:
 * the enforcement point sees HTTP on that port and admits GET /metrics alone; otherwise the port is
 * the boundary (ztunnel sees no HTTP, istio/authorization.ts allowPrometheus; NetworkPolicy is L4).
 */
export function prometheusReadsMetrics(name: string, onlyMetrics: boolean): void {
  test(`${name}: Prometheus reads /metrics on every app port, nothing else`, () => {
    const e = enforcement(name);
    const w = world(e);
    // Prometheus scrapes pods, not Services: in ambient that is ztunnel alone, whatever the waypoint.
    const allows = e.mesh === 'istio-ambient' ? (all: Obj[], r: Request) => ztunnelAllows(all, r) : e.allows;
    for (const to of w.apps.filter((p) => p.port !== undefined)) {
      const r = (method: string, path: string): Request => ({
        from: prometheusPod,
        to,
        port: to.port as number,
        method,
        path,
      });
      assert.ok(allows(w.all, r('GET', '/metrics')), `${name}: ${requestName(r('GET', '/metrics'))}`);
      assert.equal(
        allows(w.all, r('POST', '/items')),
        !onlyMetrics,
        `${name}: ${requestName(r('POST', '/items'))}`,
      );
      // Linkerd: a port without a Server falls to the namespace default (all-authenticated).
      if (e.mesh !== 'linkerd')
        assert.equal(
          allows(w.all, { ...r('GET', '/metrics'), port: 9999 }),
          false,
          `${name}: Prometheus on another port of ${to.name}`,
        );
    }
    const loadtester = loadtesterPod('store');
    assert.equal(
      allows(w.all, {
        from: prometheusPod,
        to: loadtester,
        port: LOADTESTER_PORT,
        method: 'GET',
        path: '/metrics',
      }),
      false,
      `${name}: Prometheus may not reach the loadtester`,
    );
  });
}
