import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const repoConfig = join(root, 'meshproof.config.ts');

// Through the real wrapper: it runs pnpm from the repository root, the user is somewhere else.
test('./dev meshproof validate --config reads a relative path from the directory the user is in', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshproof-cwd-'));
  mkdirSync(join(dir, 'sub'));
  const source = readFileSync(repoConfig, 'utf8').replace(
    /import \{ definePlatform \} from '@meshproof\/spec';/,
    'const definePlatform = (spec: unknown) => spec;',
  );
  writeFileSync(join(dir, 'mine.config.ts'), source);
  const run = (config: string) =>
    spawnSync(join(root, 'dev'), ['meshproof', 'validate', '--config', config], {
      cwd: join(dir, 'sub'),
      encoding: 'utf8',
      env: { ...process.env, MESHPROOF_DEV_QUIET: '1', MESHPROOF_CALLER_CWD: '' },
    });
  const found = run('../mine.config.ts');
  assert.equal(found.status, 0, found.stderr);
  assert.match(found.stdout, /valid — 5 clusters/);
  const missing = run('../nope.config.ts');
  assert.equal(missing.status, 2);
  assert.match(
    missing.stderr,
    new RegExp(
      `config file not found: \\.\\./nope\\.config\\.ts \\(looked for ${join(dir, 'nope.config.ts')}\\)`,
    ),
  );
});
