// Realistic, correct trees written the way upstream samples write them (Istio bookinfo in both API
// flavours, Linkerd emojivoto policy, a Flux + Flagger repository): no reference, selector, TLS or
// port-protocol check may fire.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runChecks } from './engine.ts';

const DIR = join(import.meta.dirname, 'good-trees');
const FIXTURES = join(import.meta.dirname, 'checks', 'fixtures');

for (const tree of readdirSync(DIR)) {
  test(`no reference finding on the good tree ${tree}`, async () => {
    const r = await runChecks({ paths: ['.'], cwd: join(DIR, tree), complete: true });
    const refs = r.findings.filter((f) => /^(REF|IST|LNK|SEL|TLS|EGR|PRT)/.test(f.id));
    assert.deepEqual(
      refs.map((f) => `${f.file}:${f.line}: ${f.id} ${f.message}`),
      [],
    );
    assert.ok(r.objects >= 8, `${tree}: only ${r.objects} objects loaded`);
  });
}

test('a Secret missing from loose files is info that says Secrets are often made out of band', async () => {
  const r = await runChecks({ paths: ['REF030/fail'], cwd: FIXTURES });
  const secrets = r.findings.filter((f) => f.id === 'REF030' && f.message.includes('names Secret'));
  assert.equal(secrets.length, 2);
  for (const f of secrets) {
    assert.equal(f.severity, 'info');
    assert.match(f.message, /created out of band/);
    assert.match(f.message, /not among the checked files/);
  }
});
