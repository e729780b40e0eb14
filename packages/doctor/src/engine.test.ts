import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runChecks } from './engine.ts';
import { InputError } from './load.ts';

const DEPLOY = (name: string, ns: string, annotations = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
${annotations}spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
        - name: app
          image: example/${name}
`;

describe('runChecks', () => {
  let dir: string;
  const write = async (rel: string, text: string) => {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), text);
  };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'meshproof-engine-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('a suppression with a reason hides exactly that ID on that object', async () => {
    await write(
      'sup/d.yaml',
      `${DEPLOY('a', 'x', '  annotations:\n    meshproof.dev/ignore: "SEC008: demo image; SEC006: no probes yet"\n')}---\n${DEPLOY('b', 'x')}`,
    );
    const { findings } = await runChecks({ paths: ['sup'], cwd: dir });
    const of = (id: string) => findings.filter((f) => f.id === id).map((f) => f.object);
    assert.deepEqual(of('SEC008'), ['Deployment x/b']);
    assert.deepEqual(of('SEC006'), ['Deployment x/b', 'Deployment x/b']);
    assert.deepEqual(of('SEC007'), ['Deployment x/a', 'Deployment x/b']);
    assert.deepEqual(of('SUP001'), []);
  });

  test('a suppression without a reason suppresses nothing and is reported', async () => {
    await write('nosup/d.yaml', DEPLOY('a', 'x', '  annotations:\n    meshproof.dev/ignore: "SEC008"\n'));
    const { findings } = await runChecks({ paths: ['nosup'], cwd: dir });
    assert.equal(findings.filter((f) => f.id === 'SEC008').length, 1);
    const sup = findings.find((f) => f.id === 'SUP001');
    assert.deepEqual(
      [sup?.file, sup?.line, sup?.message],
      ['nosup/d.yaml', 7, 'suppression of SEC008 has no reason'],
    );
  });

  test('malformed YAML is a positioned finding and the other files are still checked', async () => {
    await write('bad/a.yaml', 'kind: ConfigMap\nmetadata:\n  name: x\n   oops: [\n');
    await write('bad/b.yaml', DEPLOY('b', 'x'));
    const report = await runChecks({ paths: ['bad'], cwd: dir });
    const yaml = report.findings.filter((f) => f.id === 'YAML001');
    assert.equal(yaml.length, 1);
    assert.equal(yaml[0]?.file, 'bad/a.yaml');
    assert.ok((yaml[0]?.line ?? 0) >= 3, JSON.stringify(yaml[0]));
    assert.ok(report.findings.some((f) => f.id === 'SEC008' && f.file === 'bad/b.yaml'));
    assert.equal(report.files, 2);
  });

  test('each clusters/<name>/ is its own set; references do not leak across clusters', async () => {
    const sa = 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, namespace: app}\n';
    const ap = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: p, namespace: app}
spec:
  rules: [{from: [{source: {principals: [cluster.local/ns/app/sa/web]}}]}]
`;
    await write('repo/clusters/one/sa.yaml', sa);
    await write('repo/clusters/one/ap.yaml', ap);
    await write('repo/clusters/two/ap.yaml', ap);
    const report = await runChecks({ paths: ['repo/clusters'], cwd: dir });
    assert.equal(report.clusters, 2);
    assert.deepEqual(
      report.findings.filter((f) => f.id === 'REF001').map((f) => f.file),
      ['repo/clusters/two/ap.yaml'],
    );
  });

  test('files read by kustomize generators are data, and the generated ConfigMaps feed valuesFrom', async () => {
    await write(
      'gen/kustomization.yaml',
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nconfigMapGenerator:\n  - name: vals\n    namespace: kube-system\n    files: [values.yaml=values.yaml]\n',
    );
    await write(
      'gen/values.yaml',
      'authentication: {mutual: {spire: {enabled: true}}}\nencryption: {enabled: false}\n',
    );
    await write(
      'gen/release.yaml',
      `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: cilium, namespace: kube-system}
spec:
  chart: {spec: {chart: cilium, version: "1.19.4", sourceRef: {kind: HelmRepository, name: cilium}}}
  valuesFrom: [{kind: ConfigMap, name: vals}]
  values: {encryption: {type: wireguard}}
`,
    );
    const report = await runChecks({ paths: ['gen'], cwd: dir });
    assert.equal(report.files, 2);
    // SPIRE comes from the generated ConfigMap; encryption stays off after merging spec.values on top.
    assert.deepEqual(
      report.findings
        .filter((f) => f.id.startsWith('CIL') || f.id.startsWith('SCH'))
        .map((f) => [f.id, f.file, f.line]),
      [['CIL002', 'gen/release.yaml', 6]],
    );
  });

  test('unreadable input is an InputError naming the path', async () => {
    await assert.rejects(runChecks({ paths: ['does-not-exist'], cwd: dir }), (e: Error) => {
      assert.ok(e instanceof InputError);
      assert.match(e.message, /does-not-exist.*ENOENT/);
      return true;
    });
  });
});
