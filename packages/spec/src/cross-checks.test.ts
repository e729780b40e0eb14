// The rules that span fields, at their boundaries: the last value each accepts, the first it
// refuses, and the exact error list (no rule may blame a field that is fine).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validSpec } from './fixture.ts';
import { errorsOf, type Loose } from './test-errors.ts';
import { validatePlatform } from './validate.ts';

const lines = (edit: (s: Loose) => void) => errorsOf(edit).map((e) => `${e.path}: ${e.message}`);

function accepts(edit: (s: Loose) => void) {
  const spec: Loose = validSpec();
  edit(spec);
  const result = validatePlatform(spec);
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
}

const SSH_KEY = 'which needs a key: name the Secret (identity, known_hosts) in secretName';

describe('git sources', () => {
  test('https needs no Secret; ssh:// and git@ need one, at the level they are written', () => {
    accepts((s) => {
      s.git = { url: 'https://example.test/a' };
      s.clusters[1].git = { url: 'ssh://example.test/a', secretName: 'key' };
    });
    assert.deepEqual(
      lines((s) => {
        s.clusters[0].git = { url: 'https://example.test/a' };
        s.clusters[2].git = { url: 'ssh://example.test/a' };
      }),
      [`clusters[2].git.secretName: Flux reads ssh://example.test/a over SSH, ${SSH_KEY}`],
    );
    assert.deepEqual(
      lines((s) => {
        s.git = { url: 'git@example.test:a.git' };
        s.clusters[1].git = { url: 'git@example.test:b.git' };
      }),
      [
        `git.secretName: Flux reads git@example.test:a.git over SSH, ${SSH_KEY}`,
        `clusters[1].git.secretName: Flux reads git@example.test:b.git over SSH, ${SSH_KEY}`,
      ],
    );
  });
});

describe('clusters', () => {
  test('every repeat of a name points at its first use', () => {
    assert.deepEqual(
      lines((s) => {
        s.clusters = [
          { name: 'a', mesh: 'none' },
          { name: 'b', mesh: 'none' },
          { name: 'a', mesh: 'none' },
          { name: 'a', mesh: 'linkerd' },
        ];
      }),
      [
        'clusters[2].name: cluster name "a" is already used by clusters[0].name',
        'clusters[3].name: cluster name "a" is already used by clusters[0].name',
      ],
    );
  });

  test('each per-mesh option block belongs to exactly its mesh', () => {
    accepts((s) => {
      s.clusters.push({ name: 'l', mesh: 'linkerd', linkerd: { viz: true } });
    });
    assert.deepEqual(
      lines((s) => {
        s.clusters = [
          { name: 'sidecar', mesh: 'istio-sidecar', istio: {} },
          { name: 'ambient', mesh: 'istio-ambient', linkerd: {} },
          { name: 'linkerd', mesh: 'linkerd', cilium: {}, istio: {} },
        ];
      }),
      [
        `clusters[0].istio: only allowed when mesh is "istio-ambient"; this cluster's mesh is "istio-sidecar"`,
        `clusters[1].linkerd: only allowed when mesh is "linkerd"; this cluster's mesh is "istio-ambient"`,
        `clusters[2].istio: only allowed when mesh is "istio-ambient"; this cluster's mesh is "linkerd"`,
        `clusters[2].cilium: only allowed when mesh is "cilium"; this cluster's mesh is "linkerd"`,
      ],
    );
  });
});

describe('app identities', () => {
  test('app names are unique across namespaces', () => {
    assert.deepEqual(
      lines((s) => {
        s.apps[1].name = 'frontend';
        s.apps[1].namespace = 'other';
        s.apps[0].calls = [];
      }),
      ['apps[1].name: app name "frontend" is already used by apps[0].name'],
    );
  });

  test('a ServiceAccount (the name unless set) is unique per namespace only', () => {
    accepts((s) => {
      s.apps[0].serviceAccount = 'shared';
      s.apps[1].serviceAccount = 'shared';
      s.apps[1].namespace = 'other';
    });
    assert.deepEqual(
      lines((s) => {
        s.apps[0].serviceAccount = 'backend';
      }),
      ['apps[1].serviceAccount: service account "shop/backend" is already used by apps[0].serviceAccount'],
    );
  });

  test('the load generator and the probes keep their names, as app name or ServiceAccount', () => {
    const loadtester =
      'apps[0]: "flagger-loadtester" is the name and ServiceAccount of the canary load generator; pick another';
    const stranger =
      'apps[0]: "meshproof-stranger" is the name and ServiceAccount of the e2e probes\' wrong-identity workload; pick another';
    for (const [field, name, message] of [
      ['name', 'flagger-loadtester', loadtester],
      ['serviceAccount', 'flagger-loadtester', loadtester],
      ['name', 'meshproof-stranger', stranger],
      ['serviceAccount', 'meshproof-stranger', stranger],
    ] as const) {
      assert.deepEqual(
        lines((s) => {
          s.apps[0][field] = name;
        }),
        [message],
        `${field} = ${name}`,
      );
    }
    accepts((s) => {
      s.apps[0].serviceAccount = 'flagger-loadtester-2';
      s.apps[1].serviceAccount = 'meshproof-stranger2';
    });
  });

  test("the probes' namespace is refused with its own reason", () => {
    assert.deepEqual(
      lines((s) => {
        s.apps[0].namespace = 'meshproof-outside';
      }),
      [
        'apps[0].namespace: "meshproof-outside" is where the e2e probes\' plaintext client runs, outside every policy; use another namespace',
      ],
    );
  });

  test('every namespace the platform owns is refused; near misses are not', () => {
    const reserved = [
      'kube-system',
      'kube-public',
      'default',
      'flux-system',
      'istio-system',
      'linkerd',
      'linkerd-viz',
      'cilium',
      'cilium-secrets',
      'cert-manager',
      'monitoring',
      'flagger-system',
      'ingress',
    ];
    for (const namespace of reserved) {
      assert.deepEqual(
        lines((s) => {
          s.apps[0].namespace = namespace;
        }),
        [`apps[0].namespace: "${namespace}" belongs to the platform; use a namespace of your own`],
      );
    }
    for (const namespace of [
      'kube',
      'my-kube-x',
      'defaults',
      'my-default',
      'istio',
      'my-linkerd',
      'ingress-nginx',
      'xmonitoring',
    ]) {
      accepts((s) => {
        s.apps[0].namespace = namespace;
      });
    }
  });
});

describe('versions, routes and replicas', () => {
  test('weights must add up to exactly 100', () => {
    accepts((s) => {
      s.apps[1].versions = [
        { name: 'v1', weight: 100 },
        { name: 'v2', weight: 0 },
        { name: 'v3', weight: 0 },
      ];
    });
    for (const [a, b, total] of [
      [100, 1, 101],
      [99, 0, 99],
      [0, 0, 0],
    ]) {
      const got = lines((s) => {
        delete s.apps[1].canary;
        s.apps[1].versions[0].weight = a;
        s.apps[1].versions[1].weight = b;
      });
      assert.deepEqual(got, [`apps[1].versions: weights add up to ${total}; expected 100`]);
    }
  });

  test('a route names a version of its app, with a suggestion and the choices', () => {
    assert.deepEqual(
      lines((s) => {
        delete s.apps[1].canary;
        s.apps[1].versions = [
          { name: 'stable', weight: 50 },
          { name: 'beta', weight: 50 },
        ];
        s.apps[1].routes = [
          { match: { pathPrefix: '/a' }, version: 'stable' },
          { match: { pathPrefix: '/b' }, version: 'betta' },
          { match: { pathPrefix: '/c' }, version: 'v9' },
        ];
      }),
      [
        'apps[1].routes[1].version: no version "betta" in apps[1].versions (did you mean "beta"?); expected one of stable|beta',
        'apps[1].routes[2].version: no version "v9" in apps[1].versions; expected one of stable|beta',
      ],
    );
  });

  test('replicas: min may equal max, not exceed it', () => {
    accepts((s) => {
      s.apps[0].replicas = { min: 3, max: 3 };
    });
    assert.deepEqual(
      lines((s) => {
        s.apps[0].replicas = { min: 4, max: 3 };
      }),
      ['apps[0].replicas: min (4) is greater than max (3)'],
    );
  });
});

describe('calls', () => {
  test('a callee must exist, be another app, have a port, and be named once', () => {
    assert.deepEqual(
      lines((s) => {
        delete s.apps[0].port;
        s.apps[1].calls = [{ app: 'frontend' }, { app: 'frontend' }, { app: 'backend' }, { app: 'nobody' }];
        s.apps[0].calls = [];
      }),
      [
        'apps[1].calls[1].app: callee "frontend" is already used by apps[1].calls[0].app',
        'apps[1].calls[0].app: "frontend" has no port, so there is nothing to call',
        'apps[1].calls[1].app: "frontend" has no port, so there is nothing to call',
        'apps[1].calls[2].app: an app does not need a rule to call itself',
        'apps[1].calls[3].app: no app named "nobody"; expected one of frontend|backend',
      ],
    );
  });
});

describe('canary', () => {
  test('a disabled canary asks for nothing', () => {
    accepts((s) => {
      s.apps[1].canary = { enabled: false, stepWeight: 60, maxWeight: 50 };
      delete s.apps[1].port;
      s.apps[0].calls = [];
      s.apps[1].versions = [
        { name: 'v1', weight: 50 },
        { name: 'v2', weight: 50 },
      ];
      s.apps[1].routes = [{ match: { pathPrefix: '/b' }, version: 'v2' }];
      s.observability = { prometheus: false };
    });
  });

  test('each rule of an enabled canary, with its message', () => {
    assert.deepEqual(
      lines((s) => {
        s.apps[1].canary = { stepWeight: 51, maxWeight: 50 };
        delete s.apps[1].port;
        s.apps[0].calls = [];
        s.apps[1].versions = [
          { name: 'v1', weight: 99 },
          { name: 'v2', weight: 1 },
        ];
        s.apps[1].routes = [{ match: { pathPrefix: '/b' }, version: 'v2' }];
        s.observability = { prometheus: false };
      }),
      [
        'apps[1].canary: a canary needs a Service port: set port',
        'apps[1].canary: needs observability.prometheus = true (Flagger reads request metrics from Prometheus)',
        'apps[1].canary.stepWeight: 51 is greater than maxWeight 50',
        'apps[1].versions: with a canary, one version (the stable one) takes weight 100; Flagger shifts traffic to the next',
        'apps[1].routes: routes cannot be combined with a canary: Flagger owns the routing; put header routes on an app without a canary (like catalog in the default spec)',
      ],
    );
  });

  test('a step as large as the maximum weight is fine', () => {
    accepts((s) => {
      s.apps[1].canary = { stepWeight: 50, maxWeight: 50 };
    });
  });
});

describe('what each mesh can do', () => {
  test('mesh fault injection: both Istio modes can, every other mesh is named', () => {
    accepts((s) => {
      s.clusters = [
        { name: 'a', mesh: 'istio-ambient' },
        { name: 's', mesh: 'istio-sidecar' },
      ];
      s.apps[1].faults = { abort: { httpStatus: 503, percent: 1 } };
    });
    assert.deepEqual(
      lines((s) => {
        s.clusters.push({ name: 'l', mesh: 'linkerd' });
        s.apps[0].faults = { delay: { ms: 5, percent: 1 } };
      }),
      [
        'apps[0].faults: clusters[0] ("kind-baseline", none) cannot inject faults in the mesh; use versions[].faults (in the app) instead',
        'apps[0].faults: clusters[2] ("kind-cilium", cilium) cannot inject faults in the mesh; use versions[].faults (in the app) instead',
        'apps[0].faults: clusters[3] ("l", linkerd) cannot inject faults in the mesh; use versions[].faults (in the app) instead',
      ],
    );
  });

  test('expose lists the meshes with an ingress gateway; an app without a port cannot be exposed', () => {
    accepts((s) => {
      s.clusters = [
        { name: 'a', mesh: 'istio-ambient' },
        { name: 's', mesh: 'istio-sidecar' },
        { name: 'c', mesh: 'cilium' },
      ];
      s.apps[0].expose = { hostname: 'shop.example.test' };
    });
    assert.deepEqual(
      lines((s) => {
        s.clusters = [{ name: 's', mesh: 'istio-sidecar' }];
        s.apps[0].expose = { hostname: 'shop.example.test' };
        delete s.apps[0].port;
      }),
      ['apps[0].expose: exposing an app needs a port'],
    );
    assert.deepEqual(
      lines((s) => {
        s.apps[0].expose = { hostname: 'shop.example.test' };
      }),
      [
        'apps[0].expose: clusters[0] ("kind-baseline", none) has no ingress gateway; expose needs one of istio-ambient|istio-sidecar|cilium, or drop expose',
      ],
    );
  });

  test('L7 call rules on ambient without a waypoint: the first call with methods or paths is named', () => {
    const noWaypoint = (s: Loose) => {
      s.clusters[1].istio.waypoint = false;
    };
    accepts((s) => {
      noWaypoint(s);
      s.apps[0].calls = [{ app: 'backend' }];
    });
    // Without an istio block the waypoint is on: L7 rules are fine.
    accepts((s) => {
      delete s.clusters[1].istio;
    });
    const where = 'clusters[1] ("kind-istio-ambient", istio-ambient)';
    for (const l7 of [{ paths: ['/api'] }, { methods: ['GET'] }]) {
      assert.deepEqual(
        lines((s) => {
          noWaypoint(s);
          s.apps.push({
            name: 'third',
            namespace: 'shop',
            image: 'x:1',
            port: 1,
            versions: [{ name: 'v1', weight: 100 }],
          });
          s.apps[0].calls = [{ app: 'third' }, { app: 'backend', ...l7 }];
        }),
        [`apps[0].calls[1]: methods/paths need an L7 proxy, but ${where} has istio.waypoint = false`],
      );
    }
  });
});

describe('security and observability', () => {
  test('PERMISSIVE needs a reason, and only PERMISSIVE takes one', () => {
    accepts((s) => {
      s.security = { mtls: 'PERMISSIVE', mtlsReason: 'legacy clients' };
    });
    assert.deepEqual(
      lines((s) => {
        s.security = { mtls: 'PERMISSIVE' };
      }),
      [
        'security.mtlsReason: PERMISSIVE accepts plaintext: say why in security.mtlsReason (the render records it, and `check` reports the finding as accepted with it)',
      ],
    );
    assert.deepEqual(
      lines((s) => {
        s.security = { mtlsReason: 'just in case' };
      }),
      ['security.mtlsReason: only used with security.mtls = "PERMISSIVE"'],
    );
  });

  test('Grafana needs Prometheus; with it, it is accepted', () => {
    accepts((s) => {
      s.observability = { grafana: true };
    });
    assert.deepEqual(
      lines((s) => {
        s.observability = { prometheus: false, grafana: true };
        delete s.apps[1].canary;
      }),
      ['observability.grafana: Grafana dashboards need observability.prometheus = true'],
    );
  });
});

test('errors come in a fixed order: git, clusters, identities, per app, security, observability', () => {
  assert.deepEqual(
    errorsOf((s) => {
      s.observability = { prometheus: false, grafana: true };
      s.security = { mtls: 'PERMISSIVE' };
      s.apps[1].versions[0].weight = 1;
      s.apps[0].namespace = 'default';
      s.clusters[0].linkerd = {};
      s.git = { url: 'ssh://x/y' };
    }).map((e) => e.path),
    [
      'git.secretName',
      'clusters[0].linkerd',
      'apps[0].namespace',
      'apps[1].versions',
      'apps[1].canary',
      'apps[1].versions',
      'security.mtlsReason',
      'observability.grafana',
    ],
  );
});
