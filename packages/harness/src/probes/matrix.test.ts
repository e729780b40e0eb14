import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadPlatform, type Platform, type PlatformInput, validatePlatform } from '@meshproof/spec';
import { validSpec } from '../../../spec/src/fixture.ts';
import { DENIED_PATH, type Probe, probeMatrix } from './matrix.ts';
import { OUTSIDER, STRANGER } from './workloads.ts';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const loaded = await loadPlatform(join(root, 'meshproof.config.ts'));
assert.ok(loaded.ok, 'the default spec validates');
const defaults = loaded.platform;

function platform(edit: (spec: PlatformInput) => void = () => {}): Platform {
  const spec = validSpec();
  edit(spec);
  const result = validatePlatform(spec);
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  return result.platform;
}

const cluster = (p: Platform, name: string) => {
  const c = p.clusters.find((x) => x.name === name);
  assert.ok(c, name);
  return c;
};

const key = (p: Probe) => `${p.caller} ${p.from}>${p.to} ${p.method} ${p.path} ${p.expect}`;

// The default spec: frontend calls backend and catalog with GET only; backend is a canary, catalog has
// a header route; default deny, STRICT.
const FRONTEND = [
  'self frontend>frontend GET /readyz allow',
  'no-rule backend>frontend GET / deny',
  'no-rule catalog>frontend GET / deny',
  `wrong-identity ${STRANGER}>frontend GET / deny`,
  `plaintext ${OUTSIDER}>frontend GET / deny`,
];
const called = (app: string, other: string, l7: boolean) => [
  `self ${app}>${app} GET /readyz allow`,
  `allowed frontend>${app} GET / allow`,
  ...(l7 ? [`l7 frontend>${app} OPTIONS / deny`] : []),
  `no-rule ${other}>${app} GET / deny`,
  `wrong-identity ${STRANGER}>${app} GET / deny`,
  `plaintext ${OUTSIDER}>${app} GET / deny`,
];
const backend = (l7: boolean) => [...called('backend', 'catalog', l7), ...called('catalog', 'backend', l7)];

test('default spec: the matrix of every cluster, in the order it runs', () => {
  const expected: Record<string, string[]> = {
    'kind-baseline': [...FRONTEND, ...backend(false)],
    'kind-istio-ambient': [...FRONTEND, ...backend(true)],
    'kind-istio-sidecar': [...FRONTEND, ...backend(true)],
    'kind-linkerd': [...FRONTEND, ...backend(true)],
    'kind-cilium': [...FRONTEND, ...backend(true)],
  };
  assert.deepEqual(
    Object.keys(expected),
    defaults.clusters.map((c) => c.name),
  );
  for (const c of defaults.clusters) {
    assert.deepEqual(probeMatrix(defaults, c).map(key), expected[c.name], c.name);
  }
});

test('every deny probe comes after passing controls: allow probes to the same target', () => {
  for (const c of defaults.clusters) {
    const matrix = probeMatrix(defaults, c);
    assert.equal(new Set(matrix.map((p) => p.id)).size, matrix.length, `${c.name}: ids are unique`);
    matrix.forEach((p, i) => {
      if (p.expect === 'allow') {
        assert.deepEqual(p.controls, []);
        return;
      }
      assert.ok(p.controls.length > 0, `${c.name} ${p.id} has a control`);
      for (const id of p.controls) {
        const at = matrix.findIndex((q) => q.id === id);
        assert.ok(at >= 0 && at < i, `${c.name}: control ${id} runs before ${p.id}`);
        assert.equal(matrix[at]?.to, p.to);
        assert.equal(matrix[at]?.expect, 'allow');
      }
    });
    // A target with a caller is proven over the network, not by its loopback check.
    const backendDeny = matrix.find((p) => p.to === 'backend' && p.expect === 'deny');
    assert.deepEqual(backendDeny?.controls, ['allowed:frontend->backend:GET:/']);
    const frontendDeny = matrix.find((p) => p.to === 'frontend' && p.expect === 'deny');
    assert.deepEqual(frontendDeny?.controls, ['self:frontend->frontend:GET:/readyz']);
  }
});

test('requests leave from the caller: its serving Deployment and app container, or a probe pod', () => {
  const matrix = probeMatrix(defaults, cluster(defaults, 'kind-linkerd'));
  const source = (id: string) => matrix.find((p) => p.id === id)?.source;
  assert.deepEqual(source('allowed:frontend->backend:GET:/'), {
    namespace: 'shop',
    target: 'deploy/frontend-v1',
    container: 'frontend',
  });
  // Flagger serves a canary app from <app>-primary and scales <app> to zero.
  assert.deepEqual(source('no-rule:backend->frontend:GET:/'), {
    namespace: 'shop',
    target: 'deploy/backend-primary',
    container: 'backend',
  });
  assert.deepEqual(source(`wrong-identity:${STRANGER}->backend:GET:/`), {
    namespace: 'shop',
    target: `pod/${STRANGER}`,
    container: 'probe',
  });
  assert.equal(source(`plaintext:${OUTSIDER}->backend:GET:/`)?.namespace, 'meshproof-outside');
  const urls = matrix.filter((p) => p.to === 'backend').map((p) => p.url);
  assert.deepEqual(
    [...new Set(urls)],
    ['http://127.0.0.1:8080/readyz', 'http://backend.shop.svc.cluster.local:8080/'],
  );
});

test('a call limited to paths gets a path probe on every mesh that enforces L7 (issue 12 item 11)', () => {
  const p = platform((s) => {
    (s.apps[0] as PlatformInput['apps'][number]).calls = [
      { app: 'backend', methods: ['GET', 'POST'], paths: ['/api'] },
    ];
  });
  for (const [name, l7] of [
    ['kind-baseline', []],
    [
      'kind-istio-ambient',
      [`l7 frontend>backend OPTIONS /api deny`, `l7 frontend>backend GET ${DENIED_PATH} deny`],
    ],
    ['kind-cilium', [`l7 frontend>backend OPTIONS /api deny`, `l7 frontend>backend GET ${DENIED_PATH} deny`]],
  ] as const) {
    const matrix = probeMatrix(p, cluster(p, name));
    assert.deepEqual(matrix.filter((x) => x.caller === 'l7').map(key), l7, name);
    assert.ok(
      matrix.some((x) => key(x) === 'allowed frontend>backend GET /api allow'),
      name,
    );
  }
});

test('methods that change nothing come first: GET to pass, OPTIONS to be refused', () => {
  const p = platform((s) => {
    (s.apps[0] as PlatformInput['apps'][number]).calls = [
      { app: 'backend', methods: ['DELETE', 'GET', 'OPTIONS'] },
    ];
  });
  assert.deepEqual(
    probeMatrix(p, cluster(p, 'kind-cilium'))
      .filter((x) => x.from === 'frontend' && x.to === 'backend')
      .map(key),
    ['allowed frontend>backend GET / allow', 'l7 frontend>backend POST / deny'],
  );
});

test('"/" among the paths leaves no path to deny; no methods leave no method to deny', () => {
  const p = platform((s) => {
    (s.apps[0] as PlatformInput['apps'][number]).calls = [{ app: 'backend', paths: ['/', '/api'] }];
  });
  assert.deepEqual(
    probeMatrix(p, cluster(p, 'kind-cilium')).filter((x) => x.caller === 'l7'),
    [],
  );
});

test('without default deny: the calls, and plaintext only where STRICT mTLS alone refuses it', () => {
  const p = platform((s) => {
    s.clusters.push({ name: 'kind-linkerd', mesh: 'linkerd' });
    s.security = { defaultDeny: false, mtls: 'STRICT' };
  });
  const denies = (name: string) =>
    probeMatrix(p, cluster(p, name))
      .filter((x) => x.expect === 'deny')
      .map(key);
  assert.deepEqual(denies('kind-baseline'), []);
  assert.deepEqual(denies('kind-cilium'), []);
  // No mesh renders authorization without default deny; STRICT mTLS alone still refuses plaintext.
  for (const name of ['kind-linkerd', 'kind-istio-ambient'])
    assert.deepEqual(denies(name), [
      `plaintext ${OUTSIDER}>frontend GET / deny`,
      `plaintext ${OUTSIDER}>backend GET / deny`,
    ]);
  const permissive = platform((s) => {
    s.security = { defaultDeny: false, mtls: 'PERMISSIVE', mtlsReason: 'matrix test' };
  });
  assert.deepEqual(probeMatrix(permissive, cluster(permissive, 'kind-istio-ambient')).map(key), [
    'self frontend>frontend GET /readyz allow',
    'self backend>backend GET /readyz allow',
    'allowed frontend>backend GET / allow',
  ]);
});
