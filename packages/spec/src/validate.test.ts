import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validSpec } from './fixture.ts';
import { errorsOf, type Loose } from './test-errors.ts';
import type { PlatformInput, SpecError } from './types.ts';
import { definePlatform, formatErrors, validatePlatform } from './validate.ts';

function assertError(errors: SpecError[], path: string, pattern: RegExp) {
  const hit = errors.find((e) => e.path === path && pattern.test(e.message));
  assert.ok(hit, `no error at ${path} matching ${pattern}; got:\n${JSON.stringify(errors, null, 2)}`);
}

describe('valid specs', () => {
  test('the fixture spec is valid and defaults are filled in', () => {
    const result = validatePlatform(validSpec());
    assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
    const backend = result.platform.apps[1];
    assert.equal(result.platform.security.mtls, 'STRICT');
    assert.equal(result.platform.security.defaultDeny, true);
    assert.deepEqual(backend?.replicas, { min: 2, max: 4 });
    assert.equal(backend?.canary?.maxWeight, 50);
    assert.deepEqual(
      result.platform.clusters[0]?.nodes.workers.map((w) => w.role),
      ['server', 'load'],
    );
  });

  test('the default meshproof.config.ts is valid with five clusters, one per mesh variant', async () => {
    const { default: spec } = (await import('../../../meshproof.config.ts')) as { default: PlatformInput };
    const result = validatePlatform(spec);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
    assert.deepEqual(
      result.platform.clusters.map((c) => c.mesh),
      ['none', 'istio-ambient', 'istio-sidecar', 'linkerd', 'cilium'],
    );
  });
});

describe('shape errors name the path and what was expected', () => {
  test('misspelled mesh suggests the right one', () => {
    const errors = errorsOf((s) => {
      s.clusters[1].mesh = 'istio-ambiant';
    });
    assert.equal(
      errors[0]?.message,
      'expected one of none|istio-ambient|istio-sidecar|linkerd|cilium; got "istio-ambiant" (did you mean "istio-ambient"?)',
    );
    assert.equal(errors[0]?.path, 'clusters[1].mesh');
  });

  test('unknown field suggests the closest known field', () => {
    assertError(
      errorsOf((s) => {
        s.apps[0].namspace = 'x';
      }),
      'apps[0].namspace',
      /unknown field "namspace" \(did you mean "namespace"\?\)/,
    );
  });

  test('wrong type names expected and received', () => {
    assertError(
      errorsOf((s) => {
        s.apps[0].port = '8080';
      }),
      'apps[0].port',
      /expected number; got "8080"/,
    );
  });

  test('port out of range', () => {
    assertError(
      errorsOf((s) => {
        s.apps[0].port = 70000;
      }),
      'apps[0].port',
      /at most 65535/,
    );
  });

  test('namespace must be DNS-1123', () => {
    assertError(
      errorsOf((s) => {
        s.apps[0].namespace = 'Shop_NS';
      }),
      'apps[0].namespace',
      /DNS-1123/,
    );
  });

  test('image with latest tag is refused', () => {
    assertError(
      errorsOf((s) => {
        s.apps[0].image = 'meshproof/frontend:latest';
      }),
      'apps[0].image',
      /"latest"/,
    );
  });

  test('image without tag is refused', () => {
    assertError(
      errorsOf((s) => {
        s.apps[0].image = 'meshproof/frontend';
      }),
      'apps[0].image',
      /no tag or digest/,
    );
  });

  test('an empty cluster list is refused', () => {
    assertError(
      errorsOf((s) => {
        s.clusters = [];
      }),
      'clusters',
      /at least 1 item/,
    );
  });

  test('unknown HTTP method in calls', () => {
    assertError(
      errorsOf((s) => {
        s.apps[0].calls[0].methods = ['GTE'];
      }),
      'apps[0].calls[0].methods[0]',
      /did you mean "GET"/,
    );
  });

  test('mTLS mode must be STRICT or PERMISSIVE', () => {
    assertError(
      errorsOf((s) => {
        s.security = { mtls: 'strict' };
      }),
      'security.mtls',
      /expected one of STRICT\|PERMISSIVE; got "strict"/,
    );
  });

  test('several errors are reported at once', () => {
    const errors = errorsOf((s) => {
      s.clusters[0].mesh = 'linkerd2';
      s.apps[0].port = -1;
      s.apps[1].versions[0].weight = 'all';
    });
    assert.deepEqual(errors.map((e) => e.path).sort(), [
      'apps[0].port',
      'apps[1].versions[0].weight',
      'clusters[0].mesh',
    ]);
  });

  test('cilium encryption accepts only wireguard or none', () => {
    assertError(
      errorsOf((s) => {
        s.clusters[2].cilium.encryption = 'ipsec';
      }),
      'clusters[2].cilium.encryption',
      /wireguard\|none/,
    );
  });

  test('fault rates are fractions between 0 and 1', () => {
    assertError(
      errorsOf((s) => {
        s.apps[1].versions[1].faults = { errorRate: 50 };
      }),
      'apps[1].versions[1].faults.errorRate',
      /at most 1/,
    );
  });

  test('path prefixes in calls cannot hold wildcards', () => {
    assertError(
      errorsOf((s) => {
        s.apps[0].calls[0].paths = ['/api/*'];
      }),
      'apps[0].calls[0].paths[0]',
      /no wildcards/,
    );
  });
});

describe('cross-field rules', () => {
  test('duplicate cluster names', () => {
    assertError(
      errorsOf((s) => {
        s.clusters[2].name = 'kind-baseline';
        s.clusters[2].mesh = 'none';
        delete s.clusters[2].cilium;
      }),
      'clusters[2].name',
      /already used by clusters\[0\]\.name/,
    );
  });

  test('per-mesh options only on their mesh', () => {
    assertError(
      errorsOf((s) => {
        s.clusters[0].cilium = { mutualAuth: true };
      }),
      'clusters[0].cilium',
      /only allowed when mesh is "cilium"; this cluster's mesh is "none"/,
    );
  });

  test('calls must reference an existing app, with a suggestion', () => {
    assertError(
      errorsOf((s) => {
        s.apps[0].calls[0].app = 'backnd';
      }),
      'apps[0].calls[0].app',
      /no app named "backnd" \(did you mean "backend"\?\)/,
    );
  });

  test('an app calling itself is refused', () => {
    assertError(
      errorsOf((s) => {
        s.apps[0].calls.push({ app: 'frontend' });
      }),
      'apps[0].calls[1].app',
      /call itself/,
    );
  });

  test('version weights must add up to 100', () => {
    assertError(
      errorsOf((s) => {
        s.apps[1].versions[1].weight = 10;
      }),
      'apps[1].versions',
      /add up to 110; expected 100/,
    );
  });

  test('version weights adding up to less than 100 are refused too (90/0)', () => {
    assertError(
      errorsOf((s) => {
        s.apps[1].versions[0].weight = 90;
        s.apps[1].versions[1].weight = 0;
      }),
      'apps[1].versions',
      /add up to 90; expected 100/,
    );
  });

  test('duplicate version names', () => {
    assertError(
      errorsOf((s) => {
        s.apps[1].versions[1].name = 'v1';
      }),
      'apps[1].versions[1].name',
      /already used/,
    );
  });

  test('a canary needs a Service port', () => {
    assertError(
      errorsOf((s) => {
        delete s.apps[1].port;
        s.apps[0].calls = [];
      }),
      'apps[1].canary',
      /needs a Service port/,
    );
  });

  test('a canary needs Prometheus', () => {
    assertError(
      errorsOf((s) => {
        s.observability = { prometheus: false };
      }),
      'apps[1].canary',
      /observability\.prometheus/,
    );
  });

  test('a canary cannot be combined with routes', () => {
    assertError(
      errorsOf((s) => {
        s.apps[1].routes = [{ match: { headers: { 'x-canary': 'yes' } }, version: 'v2' }];
      }),
      'apps[1].routes',
      /Flagger owns the routing/,
    );
  });

  test('routes reference an existing version', () => {
    assertError(
      errorsOf((s) => {
        s.apps[0].routes = [{ match: { pathPrefix: '/beta' }, version: 'v3' }];
      }),
      'apps[0].routes[0].version',
      /no version "v3"/,
    );
  });

  test('platform namespaces are reserved', () => {
    assertError(
      errorsOf((s) => {
        s.apps[0].namespace = 'istio-system';
      }),
      'apps[0].namespace',
      /belongs to the platform/,
    );
  });

  test('the canary load generator name is reserved', () => {
    assertError(
      errorsOf((s) => {
        s.apps[0].serviceAccount = 'flagger-loadtester';
      }),
      'apps[0]',
      /canary load generator/,
    );
  });

  test("the e2e probes' workload and namespace names are reserved", () => {
    assertError(
      errorsOf((s) => {
        s.apps[1].serviceAccount = 'meshproof-stranger';
      }),
      'apps[1]',
      /wrong-identity workload/,
    );
    assertError(
      errorsOf((s) => {
        s.apps[0].namespace = 'meshproof-outside';
      }),
      'apps[0].namespace',
      /plaintext client runs/,
    );
  });

  test('two apps cannot share one service account identity', () => {
    assertError(
      errorsOf((s) => {
        s.apps[1].serviceAccount = 'frontend';
      }),
      'apps[1].serviceAccount',
      /"shop\/frontend" is already used/,
    );
  });

  test('L7 rules on ambient need a waypoint', () => {
    assertError(
      errorsOf((s) => {
        s.clusters[1].istio.waypoint = false;
      }),
      'apps[0].calls[0]',
      /waypoint = false/,
    );
  });

  test('mesh fault injection is refused on meshes that cannot do it', () => {
    assertError(
      errorsOf((s) => {
        s.apps[1].faults = { abort: { httpStatus: 503, percent: 10 } };
      }),
      'apps[1].faults',
      /"kind-cilium", cilium\) cannot inject faults/,
    );
  });

  test('expose is refused on clusters without an ingress gateway', () => {
    const errors = errorsOf((s) => {
      s.apps[0].expose = { hostname: 'shop.example.test' };
    });
    assertError(errors, 'apps[0].expose', /clusters\[0\] \("kind-baseline", none\) has no ingress gateway/);
    assert.ok(
      !errors.some((e) => /kind-istio-ambient|kind-cilium/.test(e.message)),
      'clusters with an ingress gateway are not blamed',
    );
    assertError(
      errorsOf((s) => {
        s.clusters[0] = { name: 'kind-linkerd', mesh: 'linkerd' };
        s.apps[0].expose = { hostname: 'shop.example.test' };
      }),
      'apps[0].expose',
      /"kind-linkerd", linkerd\) has no ingress gateway/,
    );
  });

  test('expose needs a plain host name and an absolute path prefix', () => {
    const errors = errorsOf((s) => {
      s.apps[0].expose = { hostname: 'shop..example', pathPrefix: 'api' };
    });
    assertError(errors, 'apps[0].expose.hostname', /expected a host name/);
    assertError(errors, 'apps[0].expose.pathPrefix', /starting with "\/"/);
  });

  test('expose is accepted when every cluster has an ingress gateway', () => {
    const spec: Loose = validSpec();
    spec.clusters = spec.clusters.filter((c: Loose) => c.mesh !== 'none');
    spec.apps[0].expose = { hostname: 'shop.example.test' };
    const result = validatePlatform(spec);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
    assert.equal(result.platform.apps[0]?.expose?.pathPrefix, '/');
  });

  test('replicas min above max', () => {
    assertError(
      errorsOf((s) => {
        s.apps[0].replicas = { min: 5, max: 2 };
      }),
      'apps[0].replicas',
      /greater than max/,
    );
  });

  test('Grafana needs Prometheus', () => {
    assertError(
      errorsOf((s) => {
        s.observability = { prometheus: false, grafana: true };
        delete s.apps[1].canary;
      }),
      'observability.grafana',
      /need observability\.prometheus/,
    );
  });
});

describe('the report and the config helper', () => {
  test('formatErrors: one indented "path: message" a line, continuation lines indented further', () => {
    assert.equal(
      formatErrors([
        { path: 'apps[0].port', message: 'expected number; got null' },
        { path: '(file)', message: 'cannot load x.ts:1:1: boom\n> 1 | x\n    | ^' },
      ]),
      '  apps[0].port: expected number; got null\n  (file): cannot load x.ts:1:1: boom\n    > 1 | x\n        | ^',
    );
    assert.equal(formatErrors([]), '');
  });

  test('definePlatform hands the spec back untouched, defaults are filled in only by validation', () => {
    const spec = validSpec();
    assert.equal(definePlatform(spec), spec);
    assert.equal(spec.security, undefined);
  });
});
