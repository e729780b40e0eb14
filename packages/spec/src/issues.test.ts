// How zod's findings read to a user: the path, what was expected, what was given, a suggestion.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { formatPath, issuesToErrors } from './issues.ts';
import { errorsOf, type Loose } from './test-errors.ts';

const lines = (edit: (s: Loose) => void) => errorsOf(edit).map((e) => `${e.path}: ${e.message}`);

test('paths read like the TypeScript that wrote them', () => {
  assert.equal(formatPath([]), '(root)');
  assert.equal(formatPath(['apps']), 'apps');
  assert.equal(formatPath(['clusters', 2, 'mesh']), 'clusters[2].mesh');
  assert.equal(formatPath(['apps', 0, 'versions', 1]), 'apps[0].versions[1]');
  assert.equal(formatPath([3, 'name']), '[3].name');
  assert.equal(formatPath(['a', 'b', 'c']), 'a.b.c');
});

test('what was given: nothing, null, an array, an object, a string, a number, a boolean', () => {
  assert.deepEqual(
    lines((s) => {
      delete s.apps[0].image;
      s.apps[0].port = null;
      s.apps[0].replicas = [];
      s.apps[0].namespace = {};
      s.apps[1].name = 7;
      s.apps[1].versions[0].weight = true;
      s.apps[1].versions[1].weight = '0';
    }),
    [
      'apps[0].namespace: expected string; got an object',
      'apps[0].image: expected string; got nothing',
      'apps[0].port: expected number; got null',
      'apps[0].replicas: expected object; got an array',
      'apps[1].name: expected string; got number 7',
      'apps[1].versions[0].weight: expected number; got boolean true',
      'apps[1].versions[1].weight: expected number; got "0"',
    ],
  );
});

describe('unknown fields list the known ones and suggest the closest', () => {
  test('at the top level', () => {
    assert.deepEqual(
      lines((s) => {
        s.cluster = [];
      }),
      [
        'cluster: unknown field "cluster" (did you mean "clusters"?); expected one of git|clusters|apps|security|observability',
      ],
    );
  });

  test('inside a defaulted object and an optional one, each unknown key on its own', () => {
    assert.deepEqual(
      lines((s) => {
        s.security = { mtsl: 'STRICT', zzzzzz: 1 };
        s.clusters[1].istio.waypiont = true;
      }),
      [
        'clusters[1].istio.waypiont: unknown field "waypiont" (did you mean "waypoint"?); expected one of waypoint',
        'security.mtsl: unknown field "mtsl" (did you mean "mtls"?); expected one of mtls|mtlsReason|defaultDeny',
        'security.zzzzzz: unknown field "zzzzzz"; expected one of mtls|mtlsReason|defaultDeny',
      ],
    );
  });

  test('inside arrays of objects, nested several levels deep', () => {
    assert.deepEqual(
      lines((s) => {
        s.clusters[0].nodes = { workers: [{ role: 'load', lables: {} }] };
        s.apps[1].versions[1].faults = { errorrate: 0.5 };
        s.apps[0].calls[0].method = ['GET'];
      }),
      [
        'clusters[0].nodes.workers[0].lables: unknown field "lables" (did you mean "labels"?); expected one of role|labels',
        'apps[0].calls[0].method: unknown field "method" (did you mean "methods"?); expected one of app|methods|paths',
        'apps[1].versions[1].faults.errorrate: unknown field "errorrate" (did you mean "errorRate"?); expected one of errorRate|delayMs|delayRate',
      ],
    );
  });

  test('inside objects nested in objects', () => {
    assert.deepEqual(
      lines((s) => {
        s.apps[0].resilience = { retries: { attempts: 2, onn: ['5xx'] } };
        s.apps[0].routes = [{ match: { pathPrefix: '/', header: {} }, version: 'v1' }];
      }),
      [
        'apps[0].routes[0].match.header: unknown field "header" (did you mean "headers"?); expected one of headers|pathPrefix',
        'apps[0].resilience.retries.onn: unknown field "onn" (did you mean "on"?); expected one of attempts|perTryTimeoutMs|on',
      ],
    );
  });
});

describe('enumerations', () => {
  test('a string gets a suggestion, anything else only the choices and what it was', () => {
    assert.deepEqual(
      lines((s) => {
        s.clusters[0].mesh = 'Linkerd';
        s.clusters[1].mesh = 5;
        s.clusters[2].mesh = 'zzzzzz';
      }),
      [
        'clusters[0].mesh: expected one of none|istio-ambient|istio-sidecar|linkerd|cilium; got "Linkerd" (did you mean "linkerd"?)',
        'clusters[1].mesh: expected one of none|istio-ambient|istio-sidecar|linkerd|cilium; got number 5',
        'clusters[2].mesh: expected one of none|istio-ambient|istio-sidecar|linkerd|cilium; got "zzzzzz"',
      ],
    );
  });
});

describe('bounds name the limit, whether it is inclusive, and what was given', () => {
  const errors = (schema: z.ZodType, input: unknown) => {
    const parsed = schema.safeParse(input, { reportInput: true });
    assert.equal(parsed.success, false);
    return parsed.success ? [] : issuesToErrors(parsed.error.issues).map((e) => `${e.path}: ${e.message}`);
  };

  test('numbers', () => {
    assert.deepEqual(errors(z.number().min(2), 1), ['(root): expected a number at least 2; got number 1']);
    assert.deepEqual(errors(z.number().max(2), 3), ['(root): expected a number at most 2; got number 3']);
    assert.deepEqual(errors(z.number().gt(2), 2), ['(root): expected a number greater than 2; got number 2']);
    assert.deepEqual(errors(z.number().lt(2), 2), ['(root): expected a number less than 2; got number 2']);
  });

  test('strings and arrays', () => {
    assert.deepEqual(errors(z.string().min(2), 'a'), ['(root): expected at least 2 character(s); got "a"']);
    assert.deepEqual(errors(z.string().max(1), 'ab'), ['(root): expected at most 1 character(s); got "ab"']);
    assert.deepEqual(errors(z.object({ a: z.array(z.number()).min(2) }), { a: [1] }), [
      'a: expected at least 2 item(s); got 1',
    ]);
    assert.deepEqual(errors(z.array(z.number()).max(1), [1, 2]), [
      '(root): expected at most 1 item(s); got 2',
    ]);
  });

  test('any other finding keeps the message its schema gave', () => {
    assert.deepEqual(errors(z.string().regex(/^a$/, { error: 'only "a"' }), 'b'), ['(root): only "a"']);
    assert.deepEqual(
      errors(z.record(z.string().regex(/^k/, { error: 'keys start with k' }), z.number()), { k1: 1, x: 2 }),
      ['(root): key "x": keys start with k'],
    );
  });
});
