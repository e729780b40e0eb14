// The committed render must pass the doctor (schema checks aside, which need the synced cache; CI
// runs those through `meshproof check`): a check the render trips over is a render defect.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runChecks } from './engine.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

test('clusters/ has no error findings', async () => {
  const report = await runChecks({ paths: ['clusters'], cwd: root });
  assert.ok(report.clusters >= 5);
  const errors = report.findings.filter((f) => f.severity === 'error');
  assert.deepEqual(
    errors.map((f) => `${f.file}:${f.line}: ${f.id} ${f.message}`),
    [],
  );
});
