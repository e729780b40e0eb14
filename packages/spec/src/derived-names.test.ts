import assert from 'node:assert/strict';
import { test } from 'node:test';
import { derivedServiceNames, serviceNameProblem } from './derived-names.ts';
import { validSpec } from './fixture.ts';
import { errorsOf, type Loose } from './test-errors.ts';
import type { App } from './types.ts';
import { validatePlatform } from './validate.ts';

/** The fixture's frontend after validation (one version, a port, no canary). */
function parsedApp(): App {
  const result = validatePlatform(validSpec());
  assert.ok(result.ok && result.platform.apps[0]);
  return result.platform.apps[0];
}

test('a 63-character canary app name is refused, naming the Services Flagger would derive', () => {
  const name = `b${'a'.repeat(62)}`;
  const errors = errorsOf((s) => {
    s.apps[1].name = name;
    s.apps[0].calls[0].app = name;
  });
  assert.deepEqual(
    errors.map((e) => `${e.path}: ${e.message}`),
    [
      `apps[1].name: the primary Service Flagger creates, "${name}-primary", would be 71 characters long; Kubernetes allows 63`,
      `apps[1].name: the canary Service Flagger creates, "${name}-canary", would be 70 characters long; Kubernetes allows 63`,
    ],
  );
});

test('the longest canary name whose derived Services fit is accepted', () => {
  const spec: Loose = validSpec();
  const name = `b${'a'.repeat(54)}`; // 55 + "-primary" = 63
  spec.apps[1].name = name;
  spec.apps[0].calls[0].app = name;
  const result = validatePlatform(spec);
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
});

test('per-version Services count the version name, and the message points at the version', () => {
  const errors = errorsOf((s) => {
    delete s.apps[1].canary;
    s.apps[1].name = 'b'.repeat(40);
    s.apps[0].calls[0].app = 'b'.repeat(40);
    s.apps[1].versions = [
      { name: 'v1', weight: 90 },
      { name: `v${'2'.repeat(24)}`, weight: 10 },
    ];
  });
  assert.equal(errors.length, 1, JSON.stringify(errors));
  assert.equal(errors[0]?.path, 'apps[1].versions[1].name');
  assert.match(
    errors[0]?.message ?? '',
    /the Service of version "v2+", "b+-v2+", would be 66 characters long/,
  );
});

test('an app name that starts with a digit cannot name its Service', () => {
  const errors = errorsOf((s) => {
    s.apps[0].name = '1frontend';
  });
  assert.ok(
    errors.some(
      (e) => e.path === 'apps[0].name' && /"1frontend", would not start with a letter/.test(e.message),
    ),
    JSON.stringify(errors),
  );
});

test('which Services an app leads to', () => {
  const base = { ...parsedApp(), name: 'shop' };
  assert.deepEqual(derivedServiceNames({ ...base, port: undefined }), []);
  assert.deepEqual(derivedServiceNames(base), [{ name: 'shop', what: 'the app Service', field: 'name' }]);
  const versions = [
    { name: 'v1', weight: 50 },
    { name: 'v2', weight: 50 },
  ];
  assert.deepEqual(derivedServiceNames({ ...base, versions }), [
    { name: 'shop', what: 'the app Service', field: 'name' },
    { name: 'shop-v1', what: 'the Service of version "v1"', field: 'versions[0].name' },
    { name: 'shop-v2', what: 'the Service of version "v2"', field: 'versions[1].name' },
  ]);
  // A disabled canary leaves the version Services; an enabled one replaces them with Flagger's.
  const canary = {
    enabled: false,
    intervalSeconds: 30,
    threshold: 5,
    maxWeight: 50,
    stepWeight: 10,
    minSuccessRate: 99,
    maxP99Ms: 500,
  };
  assert.equal(derivedServiceNames({ ...base, versions, canary }).length, 3);
  assert.deepEqual(derivedServiceNames({ ...base, versions, canary: { ...canary, enabled: true } }), [
    { name: 'shop', what: 'the app Service', field: 'name' },
    { name: 'shop-primary', what: 'the primary Service Flagger creates', field: 'name' },
    { name: 'shop-canary', what: 'the canary Service Flagger creates', field: 'name' },
  ]);
});

test('a Service name: at most 63 characters, a letter first', () => {
  assert.equal(serviceNameProblem(`a${'b'.repeat(62)}`), undefined);
  assert.equal(serviceNameProblem('a'), undefined);
  assert.equal(serviceNameProblem('a-9'), undefined);
  assert.equal(serviceNameProblem(`a${'b'.repeat(63)}`), 'would be 64 characters long; Kubernetes allows 63');
  for (const name of ['9a', '0', '-a', 'A', '']) {
    assert.equal(
      serviceNameProblem(name),
      'would not start with a letter, as a Service name (a DNS-1035 label) must',
      name,
    );
  }
});
