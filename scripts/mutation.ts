// ./dev mutation [target…]: StrykerJS on each target (default packages/spec; see stryker.config.mjs),
// then each target's score from its report. Not part of .ci/run: it takes minutes to hours;
// .github/workflows/mutation.yml runs every target weekly.
import { spawnSync } from 'node:child_process';
import { existsSync, globSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { retestSurvivors } from './mutation-retest.ts';
import { describeTally, type MutationReport, scoreReport } from './mutation-score.ts';
import { reportDir, TARGETS } from './mutation-targets.ts';

const root = join(import.meta.dirname, '..');
const usage = `Usage: ./dev mutation [target…|--all] [--mutate <glob>] [--retest-survivors] [--scores]
Targets: ${Object.keys(TARGETS).join(', ')} (default packages/spec)
--all       every target, one after the other
--mutate    narrows one target to the files a glob names (relative to its folder, e.g. src/checks/flux.ts,
            or a line range: src/service.ts:120-140); it re-tests only those mutants and reuses the
            target's last results for the rest, so it prints the whole target's score
--retest-survivors
            test the last run's survivors (and uncovered mutants) again, in the --mutate files if given:
            incremental runs reuse a result until the code or a test file changes, and a new fixture
            (YAML the tests read) is neither
--scores    print the scores of the last runs (reports/mutation/<target>/) without running anything`;
let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      mutate: { type: 'string' },
      all: { type: 'boolean' },
      scores: { type: 'boolean' },
      'retest-survivors': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
function usageError(message: string): never {
  console.error(`mutation: ${message}\n${usage}`);
  process.exit(2);
}
try {
  parsed = parse();
} catch (err) {
  usageError((err as Error).message);
}
if (parsed.values.help) {
  console.log(usage);
  process.exit(0);
}
const positionals = parsed.positionals.map((a) => a.replace(/\/+$/, ''));
if (parsed.values.all && positionals.length > 0) usageError('--all takes no target names');
const names = parsed.values.all
  ? Object.keys(TARGETS)
  : positionals.length > 0
    ? positionals
    : parsed.values.scores
      ? Object.keys(TARGETS)
      : ['packages/spec'];
for (const name of names) {
  if (!(name in TARGETS)) usageError(`unknown target "${name}"`);
}
const mutate = parsed.values.mutate;
if (mutate !== undefined && parsed.values.scores) usageError('--scores runs nothing; it takes no --mutate');
if (parsed.values['retest-survivors'] && parsed.values.scores)
  usageError('--scores runs nothing; it takes no --retest-survivors');
if (mutate !== undefined && (names.length !== 1 || mutate.trim() === '')) {
  usageError('--mutate needs exactly one target and a non-empty glob');
}
// Stryker's line-range form (src/a.ts:10-20 or :10:5-20:1) names the file before the colon.
function mutatedFiles(dir: string, glob: string): string[] {
  return globSync(glob.replace(/:\d+(:\d+)?-\d+(:\d+)?$/, ''), { cwd: join(root, dir) });
}
if (mutate !== undefined) {
  const dir = (TARGETS[names[0] as string] as (typeof TARGETS)[string]).dir;
  if (mutatedFiles(dir, mutate).length === 0) {
    usageError(`--mutate ${mutate} names no file under ${dir}`);
  }
}

/** The target's score from its last report, per file and in total; undefined when it never ran. */
function scoreLines(name: string): string[] | undefined {
  const file = join(root, reportDir(name), 'incremental.json');
  if (!existsSync(file)) return undefined;
  const { total, files } = scoreReport(JSON.parse(readFileSync(file, 'utf8')) as MutationReport);
  return [
    `${name}: ${describeTally(total)}`,
    ...Object.entries(files).map(([f, t]) => `  ${f}: ${describeTally(t)}`),
  ];
}

if (parsed.values.scores) {
  for (const name of names) console.log((scoreLines(name) ?? [`${name}: never run here`]).join('\n'));
  process.exit(0);
}

let failed = false;
const ran: string[] = [];
for (const name of names) {
  const target = TARGETS[name] as (typeof TARGETS)[string];
  const incremental = join(root, reportDir(name), 'incremental.json');
  if (parsed.values['retest-survivors'] && existsSync(incremental)) {
    const only = mutate === undefined ? undefined : new Set(mutatedFiles(target.dir, mutate));
    try {
      const dropped = retestSurvivors(incremental, (file) => only === undefined || only.has(file));
      const count = Object.values(dropped).reduce((a, b) => a + b, 0);
      console.log(`mutation: ${name}: ${count} survivors of the last run will be tested again`);
    } catch (err) {
      console.error(`mutation: ${(err as Error).message}`);
      process.exit(2);
    }
  }
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
  else ran.push(name);
}
// Stryker's own table ends each run; this is the one-line score per target, for logs and reports.
for (const name of ran) console.log(`mutation score: ${(scoreLines(name) ?? [`${name}: no report`])[0]}`);
process.exit(failed ? 1 : 0);
