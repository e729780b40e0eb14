// The k6 script cannot run here (no k6 binary), so it is at least type-checked against @types/k6, and the
// check is shown to bite: a copy with a wrong executor option must fail it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';

const k6Dir = new URL('../../k6/', import.meta.url).pathname;
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

const typecheck = (project: string) =>
  spawnSync(process.execPath, [tsc, '-p', project], { encoding: 'utf8', timeout: 60_000 });

test('k6/load.ts type-checks against @types/k6, and a broken copy does not', () => {
  const ok = typecheck(join(k6Dir, 'tsconfig.json'));
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  const dir = mkdtempSync(join(k6Dir, '.tmp-'));
  try {
    const broken = readFileSync(join(k6Dir, 'load.ts'), 'utf8').replace(
      "executor: 'constant-arrival-rate' as const",
      "executor: 'constant-arival-rate' as const",
    );
    writeFileSync(join(dir, 'load.ts'), broken);
    writeFileSync(join(dir, 'tsconfig.json'), readFileSync(join(k6Dir, 'tsconfig.json')));
    const bad = typecheck(join(dir, 'tsconfig.json'));
    assert.notEqual(bad.status, 0);
    assert.match(bad.stdout, /constant-arival-rate/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
