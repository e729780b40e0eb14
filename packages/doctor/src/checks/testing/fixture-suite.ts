// Every check proves itself both ways on its own fixtures: fixtures/<ID>/fail must produce exactly
// the findings marked `# expect` (file and line), fixtures/<ID>/pass must produce none.
// Each check runs alone and each check module calls this from its own `<module>.test.ts`, so a
// mutation run covers a module's code only with that module's fixtures (Stryker's TAP runner counts
// a test file as one test).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { SchemaValidator } from '@meshproof/schemas';
import { runChecks } from '../../engine.ts';
import { collectFiles } from '../../load.ts';
import type { Check } from '../../model.ts';
import { OPINIONS, SEVERITY } from './severity.ts';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

// `# expect` marks a line where exactly one finding must be (`# expect N`: N findings, for a line
// with several problems); `# expect: TEXT` also says that a finding on that line has TEXT in its
// message (so a message naming the wrong object or field fails the test). Counting findings per line
// catches the same problem reported twice.
type Mark = { at: string; count: number; message: string | undefined };
function expectedMarks(dir: string): Mark[] {
  return collectFiles([dir], dir).flatMap((abs) =>
    readFileSync(abs, 'utf8')
      .split('\n')
      .flatMap((line, i) => {
        const m = /#\s*expect(?:\s+(\d+))?(?::\s*(.*?))?\s*$/.exec(line);
        if (!m) return [];
        return [
          {
            at: `${abs.slice(dir.length + 1)}:${i + 1}`,
            count: Number(m[1] ?? 1),
            message: m[2] || undefined,
          },
        ];
      }),
  );
}

export interface SuiteOptions {
  /** Skip every test with this reason (the schema checks without the upstream mirror). */
  skip?: string | false;
  /** The validator the checks read (only the schema checks need one). */
  validator?: () => Promise<SchemaValidator>;
}

/** The fail and pass fixture tests of each of `checks`, each check run on its own. */
export function fixtureSuite(checks: Check[], opts: SuiteOptions = {}): void {
  assert.ok(checks.length > 0, 'fixtureSuite needs at least one check');
  for (const check of checks) {
    describe(check.id, { skip: opts.skip ?? false }, () => {
      const dir = (kind: string) => join(FIXTURES, check.id, kind);
      const findings = async (kind: string) => {
        const cwd = dir(kind);
        assert.ok(existsSync(cwd), `missing fixture ${check.id}/${kind}`);
        // A fixture is a whole tree by construction: references missing from it are errors.
        const validator = await opts.validator?.();
        const report = await runChecks({ paths: ['.'], cwd, validator, complete: true, checks: [check] });
        return report.findings;
      };

      test(`${check.id} fires where the fail fixture says`, async () => {
        const got = await findings('fail');
        const expected = expectedMarks(dir('fail'));
        assert.ok(expected.length > 0, 'fail fixture has no "# expect" marker');
        assert.deepEqual(
          got.map((f) => `${f.file}:${f.line}`).sort(),
          expected.flatMap((m) => Array<string>(m.count).fill(m.at)).sort(),
        );
        for (const { at, message } of expected) {
          if (message === undefined) continue;
          const here = got.filter((f) => `${f.file}:${f.line}` === at).map((f) => f.message);
          assert.ok(
            here.some((text) => text.includes(message)),
            `${at}: no finding says "${message}"; got ${JSON.stringify(here)}`,
          );
        }
        const pinned = SEVERITY[check.id];
        assert.ok(pinned, `${check.id} has no pinned severity in testing/severity.ts`);
        for (const f of got) assert.equal(f.severity, pinned);
        assert.equal(check.severity, pinned);
        assert.equal(check.opinion === true, OPINIONS.has(check.id), `${check.id} opinion flag`);
      });

      test(`${check.id} stays quiet on the pass fixture`, async () => {
        assert.deepEqual(await findings('pass'), []);
      });
    });
  }
}
