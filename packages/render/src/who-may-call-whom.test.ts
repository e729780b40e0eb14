// The who-may-call-whom tests are split per mesh folder (<folder>/who-may-call-whom.test.ts, helpers in
// test-who-may-call-whom.ts) so a mutation in one mesh's policies runs only that mesh's file. This
// checks none is left out: every mesh has an enforcement, and each is described in its folder.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { meshPlugin } from './meshes.ts';
import { registeredMeshes } from './test-support.ts';
import { ENFORCEMENTS } from './test-who-may-call-whom.ts';

test('every registered mesh has an enforcement model', () => {
  const modelled = new Set(Object.values(ENFORCEMENTS).map((e) => e.mesh));
  assert.deepEqual([...modelled].sort(), [...registeredMeshes()].sort());
});

test("every enforcement is described by its mesh folder's who-may-call-whom test", () => {
  for (const [name, e] of Object.entries(ENFORCEMENTS)) {
    const file = new URL(`./${meshPlugin(e.mesh).id}/who-may-call-whom.test.ts`, import.meta.url);
    const text = readFileSync(file, 'utf8');
    assert.ok(text.includes(`describeWhoMayCallWhom('${name}')`), `${file.pathname} describes ${name}`);
  }
});
