// One node:test invocation over every workspace's tests, so the runner's own summary
// (tests / pass / fail) is the last thing printed. Extra args are passed to node --test,
// e.g. `./dev test --test-name-pattern=spec`.
import { spawnSync } from 'node:child_process';
import { globSync } from 'node:fs';

const patterns = [
  'scripts/*.test.ts',
  'packages/*/src/**/*.test.ts',
  'apps/*/src/**/*.test.ts',
  'apps/*/test/**/*.test.ts',
];
const files = patterns.flatMap((p) => globSync(p, { exclude: (f) => f.includes('node_modules') })).sort();
if (files.length === 0) {
  console.error('test: no test files found');
  process.exit(1);
}
const args = process.argv.slice(2);
const onlyFiles = args.filter((a) => !a.startsWith('-'));
const flags = args.filter((a) => a.startsWith('-'));
const selected = onlyFiles.length > 0 ? files.filter((f) => onlyFiles.some((o) => f.includes(o))) : files;
// With no file left, node --test would discover and run every test: say so instead.
if (selected.length === 0) {
  console.error(`test: no test file matches ${onlyFiles.map((o) => `"${o}"`).join(' or ')}`);
  process.exit(2);
}
const result = spawnSync(
  process.execPath,
  ['--test', '--test-reporter=spec', '--test-concurrency=3', ...flags, ...selected],
  { stdio: 'inherit', env: { TESTCONTAINERS_RYUK_DISABLED: 'true', ...process.env } },
);
process.exit(result.status ?? 1);
