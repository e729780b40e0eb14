// How "selects nothing" is graded: an error only when the checked files are the whole cluster and the
// namespace's pods would be among them.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runChecks } from '../engine.ts';
import { selectorChecks } from './selectors.ts';
import { absenceSuite } from './testing/absence.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

const DIR = join(import.meta.dirname, '..', 'false-alarms', 'selectors');

async function sel001(path: string, complete = false) {
  const r = await runChecks({ paths: [path], cwd: DIR, checks: selectorChecks, complete });
  return r.findings.map((f) => `${f.object} ${f.severity}`).sort();
}

test('a Service selecting no pod is an error in the whole cluster folder, a warning in part of it', async () => {
  assert.deepEqual(await sel001('clusters/demo'), [
    'Service kube-system/dns-extra warning',
    'Service shop/api error',
  ]);
  assert.deepEqual(await sel001('clusters/demo/apps'), ['Service shop/api warning']);
  // Loose files, told they are the whole tree: kube-system still gets its pods from elsewhere.
  assert.deepEqual(await sel001('clusters/demo/system', true), ['Service kube-system/dns-extra warning']);
});

test('the message names the selector, the namespace and the pods that are there', async () => {
  const r = await runChecks({ paths: ['clusters/demo'], cwd: DIR, checks: selectorChecks });
  const api = r.findings.find((f) => f.object === 'Service shop/api');
  assert.equal(
    api?.message,
    'Service shop/api selects no pod: nothing in namespace shop has app=api; pods there: Deployment shop/web (app=web)',
  );
  assert.equal(`${api?.file}:${api?.line}:${api?.col}`, 'clusters/demo/apps/svc.yaml:6:3');
  const dns = r.findings.find((f) => f.object === 'Service kube-system/dns-extra');
  assert.match(dns?.message ?? '', /files run no pods in kube-system, so they may come from elsewhere/);
});

test('a NetworkPolicy peer reaching a namespace the files do not define is a warning, even in a whole tree', async () => {
  assert.deepEqual(
    await wholeTree([
      [
        'apiVersion: networking.k8s.io/v1',
        'kind: NetworkPolicy',
        'metadata: {name: web, namespace: shop}',
        'spec:',
        '  podSelector: {}',
        '  ingress:',
        '    - from:',
        '        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitorng}}',
        '        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}',
        '          podSelector: {matchLabels: {k8s-app: kube-dns}}',
        '        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}',
        '          podSelector: {matchLabels: {app: web}}',
      ].join('\n'),
    ]),
    [
      "8:11 warning ingress peer from[0] of NetworkPolicy shop/web selects no namespace: none of the checked files' namespaces (default, kube-node-lease, kube-public, kube-system, shop) has kubernetes.io/metadata.name=monitorng; it may exist outside them",
      '12:11 warning ingress peer from[2] of NetworkPolicy shop/web selects no pod: nothing in namespace shop has app=web; the checked files run no pods in shop, so they may come from elsewhere',
    ],
  );
});

test('a peer into namespaces the files only mention names each of them, at the field that selects nothing', async () => {
  assert.deepEqual(
    await wholeTree([
      [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata: {name: a, namespace: alpha}',
        '---',
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata: {name: b, namespace: beta}',
        '---',
        'apiVersion: networking.k8s.io/v1',
        'kind: NetworkPolicy',
        'metadata: {name: web, namespace: alpha}',
        'spec:',
        '  podSelector: {}',
        '  ingress:',
        '    - from:',
        '        - podSelector: {matchLabels: {app: web}}',
        '          namespaceSelector: {matchLabels: {team: none}}',
        '        - namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [alpha, beta]}]}',
      ].join('\n'),
    ]),
    [
      "17:11 warning ingress peer from[0] of NetworkPolicy alpha/web selects no namespace: none of the checked files' namespaces (alpha, beta, default, kube-node-lease, kube-public, and 1 more) has team=none; it may exist outside them",
      '18:11 warning ingress peer from[1] of NetworkPolicy alpha/web selects no pod: nothing in namespaces alpha, beta runs there; the checked files run no pods in alpha, beta, so they may come from elsewhere',
    ],
  );
});

/** `line:col severity message` of each finding over `docs`, one file read as the whole tree. */
async function wholeTree(docs: string[]): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'meshproof-sel-'));
  try {
    await writeFile(join(dir, 'tree.yaml'), `${docs.join('\n---\n')}\n`);
    const r = await runChecks({ paths: ['.'], cwd: dir, checks: selectorChecks, complete: true });
    return r.findings.map((f) => `${f.line}:${f.col} ${f.severity} ${f.message}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const deployment = (ns: string, app: string) =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    `metadata: {name: ${app}, namespace: ${ns}}`,
    'spec:',
    `  selector: {matchLabels: {app: ${app}}}`,
    '  template:',
    `    metadata: {labels: {app: ${app}}}`,
    `    spec: {containers: [{name: ${app}, image: ghcr.io/example/${app}:1.0.0}]}`,
  ].join('\n');

const service = (ns: string, selector: string) =>
  [
    'apiVersion: v1',
    'kind: Service',
    `metadata: {name: api, namespace: ${ns}}`,
    'spec:',
    `  selector: {${selector}}`,
    '  ports: [{port: 80, targetPort: 8080}]',
  ].join('\n');

test('in a namespace the files create but run no pods in, the message ends at the selector: no pods to list', async () => {
  assert.deepEqual(
    await wholeTree([
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: reports, labels: {team: reports}}',
      service('reports', 'app: api'),
      [
        'apiVersion: networking.k8s.io/v1',
        'kind: NetworkPolicy',
        'metadata: {name: from-reports, namespace: reports}',
        'spec:',
        '  podSelector: {}',
        '  ingress:',
        '    - from:',
        '        - namespaceSelector: {matchLabels: {team: reports}}',
        '          podSelector: {matchLabels: {app: api}}',
      ].join('\n'),
    ]),
    [
      '9:3 error Service reports/api selects no pod: nothing in namespace reports has app=api',
      '20:11 error ingress peer from[0] of NetworkPolicy reports/from-reports selects no pod: nothing in namespace reports has app=api',
    ],
  );
});

test('up to three pod sources are listed with no count after them; a peer into several namespaces lists none', async () => {
  assert.deepEqual(
    await wholeTree([
      deployment('trio', 'a'),
      deployment('trio', 'b'),
      deployment('trio', 'c'),
      service('trio', 'app: d'),
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: billing-eu, labels: {team: billing}}',
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: billing-us, labels: {team: billing}}',
      deployment('billing-eu', 'invoices'),
      deployment('billing-us', 'invoices'),
      [
        'apiVersion: networking.k8s.io/v1',
        'kind: NetworkPolicy',
        'metadata: {name: to-billing, namespace: trio}',
        'spec:',
        '  podSelector: {}',
        '  egress:',
        '    - to:',
        '        - namespaceSelector: {matchLabels: {team: billing}}',
        '          podSelector: {matchLabels: {app: payments}}',
      ].join('\n'),
    ]),
    [
      '32:3 error Service trio/api selects no pod: nothing in namespace trio has app=d; pods there: Deployment trio/a (app=a); Deployment trio/b (app=b); Deployment trio/c (app=c)',
      '69:11 error egress peer to[0] of NetworkPolicy trio/to-billing selects no pod: nothing in namespaces billing-eu, billing-us has app=payments',
    ],
  );
});

test('a namespace the files only place objects in, or a system namespace they declare, may get its pods elsewhere: a warning', async () => {
  assert.deepEqual(
    await wholeTree([
      service('shop', 'app: api'),
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: kube-system, labels: {pod-security.kubernetes.io/enforce: privileged}}',
      service('kube-system', 'k8s-app: metrics-server'),
    ]),
    [
      '5:3 warning Service shop/api selects no pod: nothing in namespace shop has app=api; the checked files run no pods in shop, so they may come from elsewhere',
      '16:3 warning Service kube-system/api selects no pod: nothing in namespace kube-system has k8s-app=metrics-server; the checked files run no pods in kube-system, so they may come from elsewhere',
    ],
  );
});

test('a peer written as a flow mapping is reported at the selector that selects nothing, not at its brace', async () => {
  assert.deepEqual(
    await wholeTree([
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: archive, labels: {team: old}}',
      [
        'apiVersion: networking.k8s.io/v1',
        'kind: NetworkPolicy',
        'metadata: {name: web, namespace: archive}',
        'spec:',
        '  podSelector: {}',
        '  ingress:',
        '    - from:',
        '        - {namespaceSelector: {matchLabels: {team: old}}}',
        '        - {podSelector: {matchLabels: {app: gateway}}}',
      ].join('\n'),
    ]),
    [
      '12:12 error ingress peer from[0] of NetworkPolicy archive/web selects no pod: nothing in namespace archive runs there',
      '13:12 error ingress peer from[1] of NetworkPolicy archive/web selects no pod: nothing in namespace archive has app=gateway',
    ],
  );
});

fixtureSuite(selectorChecks);
absenceSuite(selectorChecks);
