// The schema checks read a validator over the pinned schemas, synced once from the test mirror.

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openValidator, type SchemaValidator, syncSchemas } from '@meshproof/schemas';
import { NO_MIRROR, testMirror } from '@meshproof/schemas/testing';
import { runChecks } from '../engine.ts';
import { schemaChecks } from './schema.ts';
import { FIXTURES, fixtureSuite } from './testing/fixture-suite.ts';

let work: string | undefined;
let synced: Promise<SchemaValidator> | undefined;
function schemaValidator(): Promise<SchemaValidator> {
  synced ??= (async () => {
    work = await mkdtemp(join(tmpdir(), 'meshproof-fixtures-'));
    await syncSchemas({ cacheDir: join(work, 'schemas'), mirror: testMirror as string });
    return openValidator(join(work, 'schemas'));
  })();
  return synced;
}
after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

fixtureSuite(schemaChecks, { skip: NO_MIRROR, validator: schemaValidator });

// `meshproof check --skip-schemas` runs without a validator: the schema checks then stay silent
// instead of failing on every object; YAML001 needs no schema and still reports.
test('without a validator SCH001-SCH004 report nothing on their fail fixtures; YAML001 still reports', async () => {
  for (const check of schemaChecks) {
    const cwd = join(FIXTURES, check.id, 'fail');
    const { findings } = await runChecks({ paths: ['.'], cwd, complete: true, checks: [check] });
    if (check.id === 'YAML001') assert.ok(findings.length > 0, 'YAML001 found nothing');
    else assert.deepEqual(findings, [], check.id);
  }
});
