// The shape of a spec, field by field: each bound on both sides, each pattern with what it must
// accept and refuse, each default, and the exact message a user reads.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { acceptedAfter as accepted, errorsOf, type Loose } from './test-errors.ts';
import { validatePlatform } from './validate.ts';

/** "path: message" of every error of the fixture after `edit`. */
const lines = (edit: (s: Loose) => void) => errorsOf(edit).map((e) => `${e.path}: ${e.message}`);

/** Only Istio clusters: mesh-level faults and expose are allowed there. */
const istioOnly = (s: Loose) => {
  s.clusters = [{ name: 'kind-istio', mesh: 'istio-sidecar' }];
};

const HEX = 'a'.repeat(64);
const DNS =
  "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit";

describe('names are DNS-1123 labels', () => {
  test('a cluster name is at most 40 characters, other names at most 63', () => {
    accepted((s) => {
      s.clusters[0].name = 'a'.repeat(40);
    });
    assert.deepEqual(
      lines((s) => {
        s.clusters[0].name = 'a'.repeat(41);
      }),
      [`clusters[0].name: expected at most 40 character(s); got "${'a'.repeat(41)}"`],
    );
    // 64 characters break both limits, but only the tighter one is reported.
    assert.deepEqual(
      lines((s) => {
        s.clusters[0].name = 'a'.repeat(64);
      }),
      [`clusters[0].name: expected at most 40 character(s); got "${'a'.repeat(64)}"`],
    );
    assert.deepEqual(
      lines((s) => {
        s.apps[0].namespace = 'n'.repeat(64);
      }),
      [`apps[0].namespace: expected at most 63 character(s); got "${'n'.repeat(64)}"`],
    );
  });

  test('letters, digits and inner dashes are accepted', () => {
    for (const name of ['a', '7', 'a-1', '1-a', 'a--b']) {
      accepted((s) => {
        s.clusters[0].name = name;
      });
    }
  });

  for (const name of ['-a', 'a-', 'A', 'a_b', 'a.b', '', 'a b']) {
    test(`"${name}" is refused, naming which name`, () => {
      const got = lines((s) => {
        s.clusters[0].name = name;
        s.apps[0].namespace = name;
        s.apps[0].serviceAccount = name;
        s.apps[1].versions[1].name = name;
      });
      assert.deepEqual(got, [
        `clusters[0].name: cluster name ${DNS}`,
        `apps[0].namespace: namespace ${DNS}`,
        `apps[0].serviceAccount: service account ${DNS}`,
        `apps[1].versions[1].name: version name ${DNS}`,
      ]);
    });
  }

  test('app names, callees and route versions are labels too', () => {
    assert.deepEqual(
      lines((s) => {
        s.apps[0].name = 'Front';
        s.apps[0].calls[0].app = 'Back';
        s.apps[0].routes = [{ match: { pathPrefix: '/' }, version: 'V1' }];
      }),
      [
        `apps[0].name: app name ${DNS}`,
        `apps[0].calls[0].app: app name ${DNS}`,
        `apps[0].routes[0].version: version name ${DNS}`,
      ],
    );
  });
});

describe('images are pinned references', () => {
  const good = [
    'nginx:1.27',
    'registry.example.test:5000/team/app:1.2.3',
    'my-app.v2_x/a_b:v1',
    'redis:7',
    'localhost:5000/app:7',
    `ghcr.io/a/b@sha256:${HEX}`,
    `a/b:1.0@sha256:${HEX}`,
    `a:${'t'.repeat(128)}`,
    'a:_x',
  ];
  for (const image of good) {
    test(`"${image.slice(0, 60)}" is accepted`, () => {
      accepted((s) => {
        s.apps[0].image = image;
        s.apps[1].versions[1].image = image;
      });
    });
  }

  const malformed = [
    'UPPER:1',
    ':1',
    'a//b:1',
    'a:1 ',
    ' a:1',
    '/a:1',
    'a/:1',
    'a-:1',
    'a..b:1',
    'host:port/a:1',
    'a:.x',
    'a:-x',
    `a:${'t'.repeat(129)}`,
    'a@sha256:abc',
    `a@sha256:${'A'.repeat(64)}`,
    `a@sha256:${HEX}0`,
    `a@sha512:${HEX}`,
    'a:1:2',
  ];
  for (const image of malformed) {
    test(`"${image.slice(0, 60)}" is not an image reference`, () => {
      assert.deepEqual(
        lines((s) => {
          s.apps[1].versions[1].image = image;
        }),
        [`apps[1].versions[1].image: expected an image reference like "registry/name:1.2.3"; got "${image}"`],
      );
    });
  }

  test('a reference without tag or digest is refused, also behind a registry port', () => {
    for (const image of ['nginx', 'localhost:5000/app', 'a.b:5000/c/d']) {
      assert.deepEqual(
        lines((s) => {
          s.apps[0].image = image;
        }),
        [`apps[0].image: image "${image}" has no tag or digest; pin a version`],
      );
    }
  });

  test('the tag "latest" is refused, even with a digest', () => {
    for (const image of ['a/b:latest', `a:latest@sha256:${HEX}`]) {
      assert.deepEqual(
        lines((s) => {
          s.apps[0].image = image;
        }),
        [`apps[0].image: image "${image}" uses the tag "latest"; pin a version`],
      );
    }
    accepted((s) => {
      s.apps[0].image = 'a:latest2';
    });
  });
});

describe('git sources', () => {
  test('https, ssh and scp-like URLs are accepted (ssh with a Secret)', () => {
    for (const url of ['https://example.test/a', 'ssh://git@example.test/a', 'git@example.test:a/b.git']) {
      accepted((s) => {
        s.git = { url, secretName: 'key' };
      });
    }
  });

  test('other URLs are refused', () => {
    for (const url of [
      'http://example.test/a',
      'https://',
      ' https://x',
      'https://a b',
      'file:///a',
      'git@',
    ]) {
      assert.deepEqual(
        lines((s) => {
          s.git = { url, secretName: 'key' };
        }),
        ['git.url: expected an https://, ssh:// or git@ URL'],
        url,
      );
    }
  });

  test('branch names: slashes and dots are fine, Git-forbidden characters are not', () => {
    assert.equal(
      accepted((s) => {
        s.git = { url: 'https://x/y', branch: 'release/v1.2' };
      }).git?.branch,
      'release/v1.2',
    );
    for (const branch of ['a b', 'a~1', 'a^', 'a:b', 'a?', 'a*', 'a[b', 'a\\b', '\tmain']) {
      assert.deepEqual(
        lines((s) => {
          s.git = { url: 'https://x/y', branch };
        }),
        ['git.branch: expected a Git branch name'],
        branch,
      );
    }
  });

  test('secret names: DNS subdomains of at most 253 characters', () => {
    accepted((s) => {
      s.git = { url: 'https://x/y', secretName: `a.b-c${'d'.repeat(248)}` };
    });
    assert.deepEqual(
      lines((s) => {
        s.git = { url: 'https://x/y', secretName: 'd'.repeat(254) };
      }),
      [`git.secretName: expected at most 253 character(s); got "${'d'.repeat(254)}"`],
    );
    for (const secretName of ['.a', 'a.', '-a', 'a-', 'A', 'a_b']) {
      assert.deepEqual(
        lines((s) => {
          s.clusters[1].git = { url: 'https://x/y', secretName };
        }),
        ['clusters[1].git.secretName: expected a Secret name: lowercase letters, digits, "-" and "."'],
        secretName,
      );
    }
  });
});

describe('clusters', () => {
  test('one to eight workers, each with a known role and non-empty label keys', () => {
    const eight = Array.from({ length: 8 }, () => ({ role: 'general' }));
    assert.equal(
      accepted((s) => {
        s.clusters[0].nodes = { workers: eight };
      }).clusters[0]?.nodes.workers.length,
      8,
    );
    assert.deepEqual(
      lines((s) => {
        s.clusters[0].nodes = { workers: [...eight, { role: 'general' }] };
        s.clusters[1].nodes = { workers: [] };
        s.clusters[2].nodes = { workers: [{ role: 'db', labels: { '': 'x' } }] };
      }),
      [
        'clusters[0].nodes.workers: expected at most 8 item(s); got 9',
        'clusters[1].nodes.workers: expected at least 1 item(s); got 0',
        'clusters[2].nodes.workers[0].role: expected one of server|load|general; got "db"',
        'clusters[2].nodes.workers[0].labels: key "": expected at least 1 character(s); got ""',
      ],
    );
  });
});

describe('versions and fault injection in the app', () => {
  test('weights are whole percentages from 0 to 100', () => {
    assert.deepEqual(
      lines((s) => {
        s.apps[0].versions[0].weight = 101;
        s.apps[1].versions[0].weight = 99.5;
        s.apps[1].versions[1].weight = -1;
      }),
      [
        'apps[0].versions[0].weight: expected a number at most 100; got number 101',
        'apps[1].versions[0].weight: expected int; got number 99.5',
        'apps[1].versions[1].weight: expected a number at least 0; got number -1',
      ],
    );
  });

  test('one to five versions', () => {
    const five = ['a', 'b', 'c', 'd', 'e'].map((name, i) => ({ name, weight: i === 0 ? 100 : 0 }));
    accepted((s) => {
      s.apps[0].versions = five;
    });
    assert.deepEqual(
      lines((s) => {
        s.apps[0].versions = [...five, { name: 'f', weight: 0 }];
        s.apps[1].versions = [];
      }),
      [
        'apps[0].versions: expected at most 5 item(s); got 6',
        'apps[1].versions: expected at least 1 item(s); got 0',
      ],
    );
  });

  test('rates are fractions, the delay is 0 to 60 s in whole milliseconds, and all default to 0', () => {
    const platform = accepted((s) => {
      s.apps[1].versions[1].faults = {};
      s.apps[0].versions[0].faults = { errorRate: 1, delayMs: 60_000, delayRate: 1 };
    });
    assert.deepEqual(platform.apps[1]?.versions[1]?.faults, { errorRate: 0, delayMs: 0, delayRate: 0 });
    assert.deepEqual(platform.apps[0]?.versions[0]?.faults, { errorRate: 1, delayMs: 60_000, delayRate: 1 });
    const at = 'apps[1].versions[1].faults';
    assert.deepEqual(
      lines((s) => {
        s.apps[1].versions[1].faults = { errorRate: 1.01, delayMs: 60_001, delayRate: -0.01 };
      }),
      [
        `${at}.errorRate: expected a number at most 1; got number 1.01`,
        `${at}.delayMs: expected a number at most 60000; got number 60001`,
        `${at}.delayRate: expected a number at least 0; got number -0.01`,
      ],
    );
    assert.deepEqual(
      lines((s) => {
        s.apps[1].versions[1].faults = { errorRate: -0.01, delayMs: -1, delayRate: 1.01 };
      }),
      [
        `${at}.errorRate: expected a number at least 0; got number -0.01`,
        `${at}.delayMs: expected a number at least 0; got number -1`,
        `${at}.delayRate: expected a number at most 1; got number 1.01`,
      ],
    );
    assert.deepEqual(
      lines((s) => {
        s.apps[1].versions[1].faults = { delayMs: 1.5 };
      }),
      [`${at}.delayMs: expected int; got number 1.5`],
    );
  });
});

describe('calls and routes', () => {
  test('methods and paths, when given, are non-empty; paths are prefixes without wildcards', () => {
    accepted((s) => {
      s.apps[0].calls[0] = { app: 'backend', methods: ['GET', 'DELETE'], paths: ['/', '/api/v1-x'] };
    });
    assert.deepEqual(
      lines((s) => {
        s.apps[0].calls[0] = { app: 'backend', methods: [], paths: [] };
      }),
      [
        'apps[0].calls[0].methods: expected at least 1 item(s); got 0',
        'apps[0].calls[0].paths: expected at least 1 item(s); got 0',
      ],
    );
    for (const path of ['api', '/a b', '/a*', ' /a', '']) {
      assert.deepEqual(
        lines((s) => {
          s.apps[0].calls[0].paths = [path];
        }),
        ['apps[0].calls[0].paths[0]: expected a path prefix starting with "/" (no wildcards)'],
        path,
      );
    }
  });

  test('a route matches on lowercase headers or an absolute path prefix', () => {
    const platform = accepted((s) => {
      s.apps[0].versions = [
        { name: 'v1', weight: 100 },
        { name: 'v2', weight: 0 },
      ];
      s.apps[0].routes = [
        { match: { headers: { 'x-beta-2': 'yes' } }, version: 'v2' },
        { match: { pathPrefix: '/beta' }, version: 'v2' },
      ];
    });
    assert.deepEqual(platform.apps[0]?.routes[1], { match: { pathPrefix: '/beta' }, version: 'v2' });
    assert.deepEqual(
      lines((s) => {
        s.apps[0].routes = [
          { match: {}, version: 'v1' },
          { match: { headers: { 'X-Beta': 'yes', x_y: 'no' } }, version: 'v1' },
          { match: { pathPrefix: 'beta' }, version: 'v1' },
        ];
      }),
      [
        'apps[0].routes[0].match: a match needs headers or pathPrefix',
        'apps[0].routes[1].match.headers: key "X-Beta": header names are lowercase',
        'apps[0].routes[1].match.headers: key "x_y": header names are lowercase',
        'apps[0].routes[2].match.pathPrefix: expected a path starting with "/"',
      ],
    );
  });
});

describe('resilience and mesh fault injection', () => {
  test('bounds of timeouts, retries, circuit breaker and outlier detection', () => {
    const resilience = {
      timeoutMs: 600_000,
      retries: { attempts: 10, perTryTimeoutMs: 1 },
      circuitBreaker: { maxConnections: 1, maxPendingRequests: 1, maxRequestsPerConnection: 1 },
      outlierDetection: {
        consecutive5xxErrors: 1,
        intervalSeconds: 1,
        baseEjectionSeconds: 1,
        maxEjectionPercent: 100,
      },
    };
    const platform = accepted((s) => {
      s.apps[0].resilience = resilience;
      s.apps[1].resilience = { retries: { attempts: 1, on: ['reset'] } };
    });
    // Retried by default on 5xx and connection failures.
    assert.deepEqual(platform.apps[0]?.resilience.retries?.on, ['5xx', 'connect-failure']);
    assert.deepEqual(platform.apps[1]?.resilience.retries?.on, ['reset']);
    assert.deepEqual(platform.apps[0]?.resilience.timeoutMs, 600_000);
    const r = 'apps[0].resilience';
    assert.deepEqual(
      lines((s) => {
        s.apps[0].resilience = {
          timeoutMs: 600_001,
          retries: { attempts: 11, on: [] },
          circuitBreaker: { maxConnections: 0, maxPendingRequests: -1, maxRequestsPerConnection: 0 },
          outlierDetection: {
            consecutive5xxErrors: 0,
            intervalSeconds: 0,
            baseEjectionSeconds: 0,
            maxEjectionPercent: 101,
          },
        };
        s.apps[1].resilience = { timeoutMs: 0, retries: { attempts: 0, perTryTimeoutMs: 0, on: ['4xx'] } };
      }),
      [
        `${r}.timeoutMs: expected a number at most 600000; got number 600001`,
        `${r}.retries.attempts: expected a number at most 10; got number 11`,
        `${r}.retries.on: expected at least 1 item(s); got 0`,
        `${r}.circuitBreaker.maxConnections: expected a number greater than 0; got number 0`,
        `${r}.circuitBreaker.maxPendingRequests: expected a number greater than 0; got number -1`,
        `${r}.circuitBreaker.maxRequestsPerConnection: expected a number greater than 0; got number 0`,
        `${r}.outlierDetection.consecutive5xxErrors: expected a number greater than 0; got number 0`,
        `${r}.outlierDetection.intervalSeconds: expected a number greater than 0; got number 0`,
        `${r}.outlierDetection.baseEjectionSeconds: expected a number greater than 0; got number 0`,
        `${r}.outlierDetection.maxEjectionPercent: expected a number at most 100; got number 101`,
        'apps[1].resilience.timeoutMs: expected a number greater than 0; got number 0',
        'apps[1].resilience.retries.attempts: expected a number at least 1; got number 0',
        'apps[1].resilience.retries.perTryTimeoutMs: expected a number greater than 0; got number 0',
        'apps[1].resilience.retries.on[0]: expected one of 5xx|gateway-error|connect-failure|reset; got "4xx" (did you mean "5xx"?)',
      ],
    );
  });

  test('a delay of 1 ms to 60 s and an abort status from 400 to 599, each on 0-100 % of requests', () => {
    const faults = (s: Loose, value: Loose) => {
      istioOnly(s);
      s.apps[1].faults = value;
    };
    for (const value of [
      { delay: { ms: 1, percent: 0 }, abort: { httpStatus: 400, percent: 100 } },
      { delay: { ms: 60_000, percent: 100 }, abort: { httpStatus: 599, percent: 0 } },
    ]) {
      assert.deepEqual(accepted((s) => faults(s, value)).apps[1]?.faults, value);
    }
    assert.deepEqual(
      lines((s) => faults(s, { delay: { ms: 0, percent: 101 }, abort: { httpStatus: 399, percent: -1 } })),
      [
        'apps[1].faults.delay.ms: expected a number greater than 0; got number 0',
        'apps[1].faults.delay.percent: expected a number at most 100; got number 101',
        'apps[1].faults.abort.httpStatus: expected a number at least 400; got number 399',
        'apps[1].faults.abort.percent: expected a number at least 0; got number -1',
      ],
    );
    assert.deepEqual(
      lines((s) => faults(s, { delay: { ms: 60_001, percent: 1 }, abort: { httpStatus: 600, percent: 1 } })),
      [
        'apps[1].faults.delay.ms: expected a number at most 60000; got number 60001',
        'apps[1].faults.abort.httpStatus: expected a number at most 599; got number 600',
      ],
    );
  });
});

describe('canary analysis', () => {
  test('defaults: 30 s interval, 5 failed checks, 10 % steps up to 50 %, 99 % success, p99 500 ms', () => {
    assert.deepEqual(accepted(() => {}).apps[1]?.canary, {
      enabled: true,
      intervalSeconds: 30,
      threshold: 5,
      maxWeight: 50,
      stepWeight: 10,
      minSuccessRate: 99,
      maxP99Ms: 500,
    });
  });

  test('the lowest and highest values allowed are accepted', () => {
    const low = {
      intervalSeconds: 5,
      threshold: 1,
      maxWeight: 1,
      stepWeight: 1,
      minSuccessRate: 0,
      maxP99Ms: 1,
    };
    const high = {
      intervalSeconds: 3600,
      threshold: 100,
      maxWeight: 100,
      stepWeight: 100,
      minSuccessRate: 100,
    };
    for (const canary of [low, high]) {
      assert.deepEqual(
        accepted((s) => {
          s.apps[1].canary = canary;
        }).apps[1]?.canary,
        { enabled: true, maxP99Ms: 500, ...canary },
      );
    }
  });

  test('one past each bound is refused', () => {
    const c = 'apps[1].canary';
    assert.deepEqual(
      lines((s) => {
        s.apps[1].canary = {
          intervalSeconds: 4,
          threshold: 0,
          maxWeight: 0,
          stepWeight: 0,
          minSuccessRate: -1,
          maxP99Ms: 0,
        };
      }),
      [
        `${c}.intervalSeconds: expected a number at least 5; got number 4`,
        `${c}.threshold: expected a number at least 1; got number 0`,
        `${c}.maxWeight: expected a number at least 1; got number 0`,
        `${c}.stepWeight: expected a number at least 1; got number 0`,
        `${c}.minSuccessRate: expected a number at least 0; got number -1`,
        `${c}.maxP99Ms: expected a number greater than 0; got number 0`,
      ],
    );
    assert.deepEqual(
      lines((s) => {
        s.apps[1].canary = {
          intervalSeconds: 3601,
          threshold: 101,
          maxWeight: 101,
          stepWeight: 101,
          minSuccessRate: 100.5,
        };
      }),
      [
        `${c}.intervalSeconds: expected a number at most 3600; got number 3601`,
        `${c}.threshold: expected a number at most 100; got number 101`,
        `${c}.maxWeight: expected a number at most 100; got number 101`,
        `${c}.stepWeight: expected a number at most 100; got number 101`,
        `${c}.minSuccessRate: expected a number at most 100; got number 100.5`,
      ],
    );
  });
});

describe('the app itself', () => {
  test('ports from 1 to 65535', () => {
    for (const port of [1, 65535]) {
      accepted((s) => {
        s.apps[1].port = port;
      });
    }
    assert.deepEqual(
      lines((s) => {
        s.apps[0].port = 0;
        s.apps[1].port = 65536;
      }),
      [
        'apps[0].port: expected a number at least 1; got number 0',
        'apps[1].port: expected a number at most 65535; got number 65536',
      ],
    );
  });

  test('replicas: 2 to 4 by default, min 1-20 and max 1-50', () => {
    assert.deepEqual(accepted(() => {}).apps[0]?.replicas, { min: 2, max: 4 });
    accepted((s) => {
      s.apps[0].replicas = { min: 1, max: 1 };
      s.apps[1].replicas = { min: 20, max: 50 };
    });
    assert.deepEqual(
      lines((s) => {
        s.apps[0].replicas = { min: 0, max: 0 };
        s.apps[1].replicas = { min: 21, max: 51 };
      }),
      [
        'apps[0].replicas.min: expected a number at least 1; got number 0',
        'apps[0].replicas.max: expected a number at least 1; got number 0',
        'apps[1].replicas.min: expected a number at most 20; got number 21',
        'apps[1].replicas.max: expected a number at most 50; got number 51',
      ],
    );
  });

  test('resources: CPU in cores or millicores, memory in Mi or Gi; 100m and 128Mi by default', () => {
    assert.deepEqual(accepted(() => {}).apps[0]?.resources, { cpu: '100m', memory: '128Mi' });
    accepted((s) => {
      s.apps[0].resources = { cpu: '2', memory: '1Gi' };
      s.apps[1].resources = { cpu: '250m', memory: '64Mi' };
    });
    for (const [cpu, memory] of [
      ['1.5', '128Mb'],
      ['m', 'Mi'],
      ['x100m', '128'],
      ['100m ', '1Gi '],
      ['100M', '1gi'],
    ]) {
      assert.deepEqual(
        lines((s) => {
          s.apps[0].resources = { cpu, memory };
        }),
        [
          'apps[0].resources.cpu: expected CPU like "100m" or "1"',
          'apps[0].resources.memory: expected memory like "128Mi"',
        ],
        `${cpu} ${memory}`,
      );
    }
  });

  test('expose: a host name of DNS labels (at most 253 characters) and a path prefix, "/" by default', () => {
    const long = `${'a'.repeat(61)}.${'b'.repeat(61)}.${'c'.repeat(61)}.${'d'.repeat(61)}.efghi`;
    assert.equal(long.length, 253);
    const platform = accepted((s) => {
      istioOnly(s);
      s.apps[0].expose = { hostname: long };
      s.apps[1].expose = { hostname: 'a-1.b2', pathPrefix: '/shop' };
    });
    assert.deepEqual(platform.apps[0]?.expose, { hostname: long, pathPrefix: '/' });
    assert.deepEqual(platform.apps[1]?.expose, { hostname: 'a-1.b2', pathPrefix: '/shop' });
    assert.deepEqual(
      lines((s) => {
        istioOnly(s);
        s.apps[0].expose = { hostname: `${long}g` };
      }),
      [`apps[0].expose.hostname: expected at most 253 character(s); got "${long}g"`],
    );
    for (const hostname of ['Shop.test', 'shop.', '.shop', '-a.b', 'a-.b', '*.shop.test', 'a_b', 'a b']) {
      assert.deepEqual(
        lines((s) => {
          istioOnly(s);
          s.apps[0].expose = { hostname };
        }),
        ['apps[0].expose.hostname: expected a host name like "shop.example.test"'],
        hostname,
      );
    }
  });

  test('health probes: absolute paths, /healthz and /readyz by default', () => {
    assert.deepEqual(accepted(() => {}).apps[0]?.health, { liveness: '/healthz', readiness: '/readyz' });
    assert.deepEqual(
      lines((s) => {
        s.apps[0].health = { liveness: 'healthz', readiness: ' /readyz' };
      }),
      [
        'apps[0].health.liveness: expected a path starting with "/"',
        'apps[0].health.readiness: expected a path starting with "/"',
      ],
    );
  });
});

describe('security and observability', () => {
  test('STRICT mTLS and default deny unless said otherwise; everything but Prometheus off', () => {
    const platform = accepted(() => {});
    assert.deepEqual(platform.security, { mtls: 'STRICT', defaultDeny: true });
    assert.deepEqual(platform.observability, {
      prometheus: true,
      grafana: false,
      tracing: false,
      logs: false,
    });
    assert.deepEqual(
      accepted((s) => {
        s.security = { defaultDeny: false };
        s.observability = { tracing: true };
      }).observability,
      { prometheus: true, grafana: false, tracing: true, logs: false },
    );
    assert.equal(
      accepted((s) => {
        s.observability = { logs: true };
      }).observability.logs,
      true,
    );
  });

  test('the PERMISSIVE reason is one trimmed line of 1 to 200 characters without ";"', () => {
    assert.equal(
      accepted((s) => {
        s.security = { mtls: 'PERMISSIVE', mtlsReason: '  legacy client, until 2027  ' };
      }).security.mtlsReason,
      'legacy client, until 2027',
    );
    accepted((s) => {
      s.security = { mtls: 'PERMISSIVE', mtlsReason: 'x'.repeat(200) };
    });
    const refused = (mtlsReason: string) =>
      lines((s) => {
        s.security = { mtls: 'PERMISSIVE', mtlsReason };
      });
    const oneLine = 'security.mtlsReason: one line without ";" (it becomes a suppression annotation)';
    assert.deepEqual(refused('a;b'), [oneLine]);
    assert.deepEqual(refused('a\nb'), [oneLine]);
    assert.deepEqual(refused(`${'x'.repeat(201)} `), [
      `security.mtlsReason: expected at most 200 character(s); got "${'x'.repeat(201)}"`,
    ]);
    assert.deepEqual(refused('   '), [
      'security.mtlsReason: expected at least 1 character(s); got ""',
      oneLine,
    ]);
  });

  test('the top level needs at least one app', () => {
    assert.deepEqual(
      lines((s) => {
        s.apps = [];
      }),
      ['apps: expected at least 1 item(s); got 0'],
    );
  });
});

test('a minimal spec gets every default', () => {
  const result = validatePlatform({
    clusters: [
      { name: 'a', mesh: 'istio-ambient', istio: {} },
      { name: 'b', mesh: 'linkerd', linkerd: {} },
      { name: 'c', mesh: 'cilium', cilium: {} },
    ],
    apps: [{ name: 'web', namespace: 'shop', image: 'web:1', versions: [{ name: 'v1', weight: 100 }] }],
  });
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  const nodes = {
    workers: [
      { role: 'server', labels: {} },
      { role: 'load', labels: {} },
    ],
  };
  assert.deepEqual(result.platform, {
    clusters: [
      { name: 'a', mesh: 'istio-ambient', istio: { waypoint: true }, nodes },
      { name: 'b', mesh: 'linkerd', linkerd: { viz: false }, nodes },
      { name: 'c', mesh: 'cilium', cilium: { mutualAuth: true, encryption: 'wireguard' }, nodes },
    ],
    apps: [
      {
        name: 'web',
        namespace: 'shop',
        image: 'web:1',
        versions: [{ name: 'v1', weight: 100 }],
        replicas: { min: 2, max: 4 },
        resources: { cpu: '100m', memory: '128Mi' },
        calls: [],
        routes: [],
        resilience: {},
        health: { liveness: '/healthz', readiness: '/readyz' },
      },
    ],
    security: { mtls: 'STRICT', defaultDeny: true },
    observability: { prometheus: true, grafana: false, tracing: false, logs: false },
  });
});
