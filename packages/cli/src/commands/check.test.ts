import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCaptured } from '../test-io.ts';

const fixtures = fileURLToPath(new URL('../../../doctor/src/checks/fixtures/', import.meta.url));

function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshproof-check-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

test('check exits 1 with file:line:col, ID, message and hint on error findings', async () => {
  const { code, stdout } = await runCaptured(['check', join(fixtures, 'SEC008', 'fail'), '--skip-schemas']);
  assert.equal(code, 1);
  assert.match(stdout, /deploy\.yaml:19:11: error SEC008 image ghcr\.io\/example\/web is untagged/);
  assert.match(stdout, /\n {4}hint: Pin an explicit version tag/);
  assert.match(stdout, /\d+ error\(s\), \d+ warning\(s\)/);
});

test('check exits 0 when there are no error findings', async () => {
  const dir = tempDir({ 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n' });
  const { code, stdout } = await runCaptured(['check', dir, '--skip-schemas']);
  assert.equal(code, 0);
  assert.match(stdout, /^0 error\(s\), 0 warning\(s\), 0 info, 0 accepted in 1 file\(s\)/);
});

test('malformed YAML is a finding (exit 1), never a crash', async () => {
  const dir = tempDir({ 'bad.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n bad: 1\n' });
  const { code, stdout } = await runCaptured(['check', dir, '--skip-schemas', '--format', 'json']);
  assert.equal(code, 1);
  const report = JSON.parse(stdout) as { findings: { id: string; line: number }[] };
  assert.deepEqual(
    report.findings.map((f) => [f.id, f.line]),
    [['YAML001', 5]],
  );
});

test('unreadable paths and bad flags exit 2 with a message naming them', async () => {
  const missing = await runCaptured(['check', '/nonexistent/meshproof-input', '--skip-schemas']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read \/nonexistent\/meshproof-input: ENOENT/);
  const format = await runCaptured(['check', fixtures, '--format', 'xml', '--skip-schemas']);
  assert.equal(format.code, 2);
  assert.match(format.stderr, /--format must be one of text, json, sarif \(got "xml"\)/);
  const cache = await runCaptured(['check', fixtures, '--schemas', '/nonexistent/cache']);
  assert.equal(cache.code, 2);
  assert.match(cache.stderr, /no schema cache at \/nonexistent\/cache .*--skip-schemas/);
});

test('a folder without YAML files exits 2 instead of passing as a clean check', async () => {
  const dir = tempDir({ 'notes.txt': 'no manifests here\n' });
  const { code, stdout, stderr } = await runCaptured(['check', dir, '--skip-schemas']);
  assert.equal(code, 2);
  assert.equal(stderr, `meshproof check: no YAML files under ${dir}\n`);
  assert.equal(stdout, '');
});

test('--format sarif --output writes a SARIF file', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'meshproof-sarif-')), 'report.sarif');
  const { code, stdout } = await runCaptured([
    'check',
    join(fixtures, 'REF002', 'fail'),
    '--skip-schemas',
    '--format',
    'sarif',
    '--output',
    out,
  ]);
  assert.equal(code, 1);
  assert.equal(stdout, '');
  assert.ok(existsSync(out));
  const log = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(log.version, '2.1.0');
  assert.ok(log.runs[0].results.some((r: { ruleId: string }) => r.ruleId === 'REF002'));
});

test('--list prints every check with its ID and severity', async () => {
  const { code, stdout } = await runCaptured(['check', '--list']);
  assert.equal(code, 0);
  const ids = stdout.match(/^[A-Z]{3,4}\d{3} {2}(error|warning|info)/gm) ?? [];
  assert.ok(ids.length >= 30, `${ids.length} checks listed`);
  assert.match(stdout, /^IST001 {2}error {4}L7 attribute on a ztunnel-enforced policy$/m);
});

// Every check whose findings are errors must fail `meshproof check` on its fail fixture; the list is
// stated here (not read from the checks) so a severity lowered to a warning is caught.
const ERROR_CHECKS = [
  'YAML001',
  'OBJ001',
  'REF001',
  'REF002',
  'REF003',
  'REF004',
  'REF005',
  'REF006',
  'REF007',
  'REF008',
  'REF009',
  'SEC001',
  'SEC002',
  'SEC003',
  'SEC004',
  'SEC005',
  'SEC008',
  'SEC010',
  'SEC011',
  'IST001',
  'IST002',
  'IST003',
  'IST004',
  'LNK002',
  'CIL001',
  'CIL004',
  'FLX001',
  'FLX002',
  'FLX003',
  'FLX004',
  'SUP001',
  'IST106',
  'IST109',
  'IST110',
  'IST145',
  'IST146',
  'IST159',
  'SEC101',
  'LNK101',
  'LNK102',
  'LNK103',
  'WKL004',
  'WKL005',
];
test('check exits 1 on the fail fixture of every error check', async () => {
  for (const id of ERROR_CHECKS) {
    const dir = join(fixtures, id, 'fail');
    const { code, stdout } = await runCaptured([
      'check',
      dir,
      '--skip-schemas',
      '--complete',
      '--format',
      'json',
    ]);
    assert.equal(code, 1, `${id}: exit ${code}`);
    const findings = (JSON.parse(stdout) as { findings: { id: string; severity: string }[] }).findings;
    assert.ok(
      findings.some((f) => f.id === id && f.severity === 'error'),
      `${id}: no error finding of its own`,
    );
  }
});
