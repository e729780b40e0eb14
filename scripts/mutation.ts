// ./dev mutation [target]: StrykerJS on one target (default packages/spec; see stryker.config.mjs).
// Not part of .ci/run: it takes minutes; .github/workflows/mutation.yml runs it weekly.
import { spawnSync } from 'node:child_process';
import { globSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { TARGETS } from './mutation-targets.ts';

const root = join(import.meta.dirname, '..');
const usage = `Usage: ./dev mutation [target…] [--mutate <glob>]
Targets: ${Object.keys(TARGETS).join(', ')} (default packages/spec)
--mutate narrows one target to the files a glob names (relative to its folder, e.g. src/checks/flux.ts,
or a line range: src/service.ts:120-140);
its results and incremental file are kept apart from the whole target's.`;
let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: { mutate: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
}
try {
  parsed = parse();
} catch (err) {
  console.error(`mutation: ${(err as Error).message}\n${usage}`);
  process.exit(2);
}
if (parsed.values.help) {
  console.log(usage);
  process.exit(0);
}
const positionals = parsed.positionals.map((a) => a.replace(/\/+$/, ''));
const names = positionals.length > 0 ? positionals : ['packages/spec'];
for (const name of names) {
  if (!(name in TARGETS)) {
    console.error(`mutation: unknown target "${name}"; expected one of ${Object.keys(TARGETS).join(', ')}`);
    process.exit(2);
  }
}
const mutate = parsed.values.mutate;
if (mutate !== undefined && (names.length !== 1 || mutate.trim() === '')) {
  console.error('mutation: --mutate needs exactly one target and a non-empty glob');
  process.exit(2);
}
if (mutate !== undefined) {
  const dir = (TARGETS[names[0] as string] as (typeof TARGETS)[string]).dir;
  // Stryker's line-range form (src/a.ts:10-20 or :10:5-20:1) names the file before the colon.
  const files = mutate.replace(/:\d+(:\d+)?-\d+(:\d+)?$/, '');
  if (globSync(files, { cwd: join(root, dir) }).length === 0) {
    console.error(`mutation: --mutate ${mutate} names no file under ${dir}`);
    process.exit(2);
  }
}
let failed = false;
for (const name of names) {
  const target = TARGETS[name] as (typeof TARGETS)[string];
  console.log(`mutation: ${name}${mutate ? ` (${mutate})` : ''}`);
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
      env: {
        ...process.env,
        MESHPROOF_MUTATION_TARGET: name,
        ...(mutate ? { MESHPROOF_MUTATION_MUTATE: mutate } : {}),
      },
    },
  );
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
