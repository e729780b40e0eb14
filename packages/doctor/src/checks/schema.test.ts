// The schema checks read a validator over the pinned schemas, synced once from the test mirror.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { openValidator, type SchemaValidator, syncSchemas } from '@meshproof/schemas';
import { NO_MIRROR, testMirror } from '@meshproof/schemas/testing';
import { schemaChecks } from './schema.ts';
import { fixtureSuite } from './testing/fixture-suite.ts';

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
