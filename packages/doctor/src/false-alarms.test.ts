// Issue 15: valid manifests written the way upstream projects write them must not raise errors, and
// malformed input must be a finding, never a crash. Each case ran against the doctor before its fix
// and failed there (see the folder's files for what each one reproduces).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { allChecks } from './checks/index.ts';
import { runChecks } from './engine.ts';
import { formatJson } from './format/json.ts';
import { toSarif } from './format/sarif.ts';
import { formatText } from './format/text.ts';

const DIR = join(import.meta.dirname, 'false-alarms');
const FIXTURES = join(import.meta.dirname, 'checks', 'fixtures');
const ids = (r: { findings: { id: string; severity: string }[] }, severity?: string) =>
  r.findings.filter((f) => !severity || f.severity === severity).map((f) => f.id);

test('DestinationRule subsets on node topology labels select the pods of the Service', async () => {
  const r = await runChecks({ paths: ['topology'], cwd: DIR, complete: true });
  assert.deepEqual(
    ids(r).filter((id) => id === 'REF003'),
    [],
  );
});

test('a policy attached by targetRefs is not judged by a leftover selector', async () => {
  const r = await runChecks({ paths: ['targetrefs'], cwd: DIR, complete: true });
  // The pinned Istio CRDs' CEL rules reject selector and targetRefs together, so the Telemetry
  // carrying both is IST106; what must not happen is a verdict on the ignored selector.
  assert.deepEqual(
    ids(r).filter((id) => id.startsWith('IST')),
    ['IST106'],
  );
});

test('kind: List is checked through its items, with positions inside the List', async () => {
  const r = await runChecks({ paths: ['list'], cwd: DIR, complete: true });
  const baseline = r.findings.filter((f) => f.id === 'SEC011');
  assert.deepEqual(
    baseline.map((f) => [f.file, f.line, f.object]),
    [['list/items.yaml', 23, 'Deployment app/web']],
  );
  assert.equal(r.objects, 2);
});

test('a reference to an object outside the checked files is an error only in a complete tree', async () => {
  const ref001 = async (paths: string[], complete = false) =>
    (await runChecks({ paths, cwd: DIR, complete })).findings
      .filter((f) => f.id === 'REF001')
      .map((f) => f.severity);
  // The whole clusters/demo/ folder: the ServiceAccount provably does not exist.
  assert.deepEqual(await ref001(['partial/clusters/demo']), ['error']);
  assert.deepEqual(await ref001(['partial/clusters']), ['error']);
  // Part of the folder: it may be in a file that was not given.
  assert.deepEqual(await ref001(['partial/clusters/demo/apps']), ['warning']);
  // Loose files in no cluster folder: nothing is known about the rest of the tree.
  assert.deepEqual(await ref001(['loose']), ['info']);
  // Unless the user says the files are the whole tree.
  assert.deepEqual(await ref001(['loose'], true), ['error']);
});

test('a malformed CRD and an alias bomb are findings in every output format', async () => {
  const r = await runChecks({ paths: ['OBJ001/fail', 'YAML001/fail/alias-bomb.yaml'], cwd: FIXTURES });
  assert.ok(r.findings.some((f) => f.id === 'OBJ001' && f.file === 'OBJ001/fail/crd.yaml' && f.line === 5));
  assert.ok(r.findings.some((f) => f.id === 'YAML001' && f.file === 'YAML001/fail/alias-bomb.yaml'));
  assert.match(formatText(r), /alias bomb/);
  const json = JSON.parse(formatJson(r));
  assert.ok(json.findings.some((f: { id: string }) => f.id === 'YAML001'));
  const sarif = JSON.parse(JSON.stringify(toSarif(r, allChecks)));
  const results = sarif.runs[0].results as { ruleId: string; locations: unknown[] }[];
  assert.ok(results.some((x) => x.ruleId === 'OBJ001'));
  assert.ok(results.some((x) => x.ruleId === 'YAML001'));
});

test('--pod-security baseline drops the restricted opinion, not the baseline problems', async () => {
  const run = (podSecurity: 'restricted' | 'baseline' | 'privileged') =>
    runChecks({ paths: ['SEC011/fail'], cwd: FIXTURES, podSecurity });
  assert.ok(ids(await run('restricted')).includes('SEC005'));
  const baseline = ids(await run('baseline'));
  assert.ok(!baseline.includes('SEC005') && baseline.includes('SEC011'));
  assert.ok(!ids(await run('privileged')).includes('SEC011'));
});
