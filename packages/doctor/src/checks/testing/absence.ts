// A reference to an object the input lacks is an error only when the input is the whole tree
// (`complete`); read as loose files, the object may sit in a file that was not checked, so the same
// finding is info and says so. A check marks such findings `absent`; this suite runs each check's
// fail fixture both ways and holds it to that, so a finding that loses (or wrongly gains) the mark
// fails here, not on a user's partial checkout.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runChecks } from '../../engine.ts';
import type { Check, Finding } from '../../model.ts';
import { FIXTURES } from './fixture-suite.ts';

const NOTE = /not among the checked files/;
const at = (f: Finding): string => `${f.file}:${f.line}:${f.col}`;

/**
 * For each of `checks`: its fail fixture's findings, checked as loose files, are at the same places as
 * in the complete run; each is info with the note, except those whose message matches `present[id]`
 * (a problem with an object that is there, such as a wrong port), which keep the check's severity.
 */
export function absenceSuite(checks: Check[], present: Record<string, RegExp> = {}): void {
  for (const check of checks) {
    test(`${check.id}: what is missing from loose files is info, not ${check.severity}`, async () => {
      const cwd = join(FIXTURES, check.id, 'fail');
      // A fixture's clusters/<name>/ folder is a whole cluster tree either way: left out here.
      const run = async (complete: boolean) =>
        (await runChecks({ paths: ['.'], cwd, complete, checks: [check] })).findings.filter(
          (f) => !f.file.startsWith('clusters/'),
        );
      const complete = await run(true);
      const loose = await run(false);
      assert.deepEqual(loose.map(at), complete.map(at));
      const keeps = present[check.id];
      let absent = 0;
      for (const f of loose) {
        if (keeps?.test(f.message)) {
          assert.equal(f.severity, check.severity, `${at(f)} ${f.message}`);
          assert.doesNotMatch(f.message, NOTE, at(f));
        } else {
          absent++;
          assert.equal(f.severity, 'info', `${at(f)} ${f.message}`);
          assert.match(f.message, NOTE, at(f));
        }
      }
      assert.ok(absent > 0, `${check.id}: no finding of the fail fixture is about a missing object`);
    });
  }
}
