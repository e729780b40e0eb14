// Every check proves itself both ways on its own fixtures: fixtures/<ID>/fail must produce exactly
// the findings marked `# expect` (file and line), fixtures/<ID>/pass must produce none of that ID.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { openValidator, type SchemaValidator, syncSchemas } from '@meshproof/schemas';
import { NO_MIRROR, testMirror } from '@meshproof/schemas/testing';
import { runChecks } from '../engine.ts';
import { collectFiles } from '../load.ts';
import { allChecks } from './index.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const needsSchemas = (id: string): boolean => id.startsWith('SCH');

// Each check's severity, stated here rather than read from the check: lowering an error to a
// warning turns a failing `meshproof check` green, so it must be a deliberate edit in two places.
const SEVERITY: Record<string, 'error' | 'warning' | 'info'> = {
  YAML001: 'error',
  SCH001: 'error',
  SCH002: 'error',
  SCH003: 'error',
  SCH004: 'warning',
  OBJ001: 'error',
  KUB001: 'error',
  KUB002: 'error',
  KUB003: 'error',
  REF011: 'error',
  REF001: 'error',
  REF002: 'error',
  REF003: 'error',
  REF004: 'error',
  REF005: 'error',
  REF006: 'error',
  REF007: 'error',
  REF008: 'error',
  REF009: 'error',
  REF010: 'info',
  REF020: 'error',
  REF021: 'error',
  REF022: 'error',
  REF023: 'warning',
  REF024: 'error',
  REF025: 'error',
  REF026: 'error',
  REF027: 'error',
  REF028: 'error',
  REF029: 'error',
  REF030: 'error',
  REF031: 'error',
  REF032: 'error',
  REF033: 'error',
  REF034: 'warning',
  REF035: 'error',
  REF036: 'error',
  REF037: 'error',
  REF038: 'error',
  SEC001: 'error',
  SEC002: 'error',
  SEC003: 'error',
  SEC004: 'error',
  SEC005: 'error',
  SEC006: 'warning',
  SEC007: 'warning',
  SEC008: 'error',
  SEC009: 'warning',
  SEC010: 'error',
  SEC011: 'error',
  IST001: 'error',
  IST002: 'error',
  IST003: 'error',
  IST004: 'error',
  LNK001: 'warning',
  LNK002: 'error',
  CIL001: 'error',
  CIL002: 'warning',
  CIL003: 'warning',
  CIL004: 'error',
  FLX001: 'error',
  FLX002: 'error',
  FLX003: 'error',
  FLX004: 'error',
  FLX005: 'warning',
  SUP001: 'error',
  // Selectors that select nothing (selectors.ts).
  SEL001: 'error',
  SEL002: 'error',
  SEL003: 'error',
  SEL004: 'error',
  SEL005: 'error',
  SEL006: 'error',
  // Security weakened (mtls.ts).
  TLS001: 'error',
  EGR001: 'warning',
  // Protocols the meshes read from ports (protocols.ts).
  PRT001: 'error',
  PRT002: 'info',
  PRT003: 'error',
  // Upstream-coverage checks (issue 13).
  IST106: 'error',
  IST109: 'error',
  IST110: 'error',
  IST130: 'warning',
  IST131: 'info',
  IST133: 'warning',
  IST144: 'warning',
  IST145: 'error',
  IST157: 'warning',
  IST159: 'error',
  IST167: 'warning',
  IST177: 'warning',
  SEC101: 'error',
  LNK101: 'error',
  LNK102: 'error',
  WKL001: 'warning',
  WKL002: 'warning',
  WKL003: 'warning',
  WKL004: 'error',
  WKL005: 'error',
  WKL006: 'warning',
  REL001: 'warning',
  REL002: 'warning',
  REL003: 'warning',
  IST116: 'warning',
  IST132: 'warning',
  IST137: 'warning',
  IST138: 'warning',
  IST146: 'error',
  IST165: 'warning',
  IST175: 'warning',
  LNK103: 'error',
  IST128: 'warning',
  // Istio annotations against Istio's catalogue (istio-annotations.ts).
  IST107: 'warning',
  IST108: 'warning',
  IST125: 'warning',
  IST135: 'info',
  IST136: 'info',
};

// `# expect` marks a line where a finding must be; `# expect: TEXT` also says that a finding on that
// line has TEXT in its message (so a message naming the wrong object or field fails the test).
type Mark = { at: string; message: string | undefined };
function expectedMarks(dir: string): Mark[] {
  return collectFiles([dir], dir).flatMap((abs) =>
    readFileSync(abs, 'utf8')
      .split('\n')
      .flatMap((line, i) => {
        const m = /#\s*expect(?::\s*(.*?))?\s*$/.exec(line);
        return m ? [{ at: `${abs.slice(dir.length + 1)}:${i + 1}`, message: m[1] || undefined }] : [];
      }),
  );
}

// Only the schema checks read the validator: the schemas are synced the first time one of them runs,
// so a run narrowed to other checks (--test-name-pattern, as the mutation runs do) skips the sync.
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

test('at least 30 checks, each with a description, hint and unique ID', () => {
  assert.ok(allChecks.length >= 30, `only ${allChecks.length} checks`);
  assert.equal(new Set(allChecks.map((c) => c.id)).size, allChecks.length);
  for (const c of allChecks) {
    assert.match(c.id, /^[A-Z]{3,4}\d{3}$/);
    assert.ok(c.description.length > 40 && c.hint.length > 10 && c.title.length > 5, c.id);
  }
});

for (const check of allChecks) {
  describe(check.id, { skip: needsSchemas(check.id) ? NO_MIRROR : false }, () => {
    const dir = (kind: string) => join(FIXTURES, check.id, kind);
    const findings = async (kind: string) => {
      const cwd = dir(kind);
      assert.ok(existsSync(cwd), `missing fixture ${check.id}/${kind}`);
      // A fixture is a whole tree by construction: references missing from it are errors.
      const validator = needsSchemas(check.id) ? await schemaValidator() : undefined;
      const report = await runChecks({ paths: ['.'], cwd, validator, complete: true });
      return report.findings.filter((f) => f.id === check.id);
    };

    test(`${check.id} fires where the fail fixture says`, async () => {
      const got = await findings('fail');
      const expected = expectedMarks(dir('fail'));
      assert.ok(expected.length > 0, 'fail fixture has no "# expect" marker');
      assert.deepEqual(
        [...new Set(got.map((f) => `${f.file}:${f.line}`))].sort(),
        [...new Set(expected.map((m) => m.at))].sort(),
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
      assert.ok(pinned, `${check.id} has no pinned severity in this test`);
      for (const f of got) assert.equal(f.severity, pinned);
      assert.equal(check.severity, pinned);
    });

    test(`${check.id} stays quiet on the pass fixture`, async () => {
      assert.deepEqual(await findings('pass'), []);
    });
  });
}
