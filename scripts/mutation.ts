// ./dev mutation [target]: StrykerJS on one target (default packages/spec; see stryker.config.mjs).
// Not part of .ci/run: it takes minutes; .github/workflows/mutation.yml runs it weekly.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TARGETS } from './mutation-targets.ts';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
if (args.includes('-h') || args.includes('--help')) {
  console.log(
    `Usage: ./dev mutation [target…]\nTargets: ${Object.keys(TARGETS).join(', ')} (default packages/spec)`,
  );
  process.exit(0);
}
const names = args.length > 0 ? args.map((a) => a.replace(/\/+$/, '')) : ['packages/spec'];
for (const name of names) {
  if (!(name in TARGETS)) {
    console.error(`mutation: unknown target "${name}"; expected one of ${Object.keys(TARGETS).join(', ')}`);
    process.exit(2);
  }
}
let failed = false;
for (const name of names) {
  const target = TARGETS[name] as (typeof TARGETS)[string];
  console.log(`mutation: ${name}`);
  const result = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/@stryker-mutator/core/bin/stryker.js'),
      'run',
      join(root, 'stryker.config.mjs'),
    ],
    {
      cwd: join(root, target.dir),
      stdio: 'inherit',
      env: { ...process.env, MESHPROOF_MUTATION_TARGET: name },
    },
  );
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
