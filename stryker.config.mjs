// StrykerJS configuration for every mutation target (`./dev mutation [target]`, see scripts/mutation.ts).
// Stryker runs inside the target's workspace folder (its own node_modules and tsconfig), so each
// target names its folder, the code to mutate and the node:test files that should catch the mutants.
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportDir, TARGETS } from './scripts/mutation-targets.ts';

const root = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const notTests = ['!**/*.test.ts', '!**/testing/**', '!**/test-*.ts', '!**/fixture.ts'];

const name = process.env.MESHPROOF_MUTATION_TARGET ?? 'packages/spec';
const target = TARGETS[name];
if (!target) throw new Error(`unknown mutation target "${name}"`);
// --mutate (scripts/mutation.ts) narrows a target to some of its files or lines. Such a run shares the
// target's incremental file: Stryker re-tests only the narrowed mutants and carries every other file's
// results over from the file (a mutant outside the mutated scope is kept, not dropped), so the score it
// prints is the whole target's and a later whole-target run re-tests only what changed.
const narrowed = process.env.MESHPROOF_MUTATION_MUTATE;
const reports = join(root, reportDir(name));
const concurrency = Number(process.env.MESHPROOF_MUTATION_CONCURRENCY ?? 2);
// Each mutant starts Node once per covering test file (TAP runner); V8's compile cache, inherited by
// those processes, saves recompiling zod and the rest each time (about 40 % of a start's CPU here).
process.env.NODE_COMPILE_CACHE ??= join(root, 'reports', 'mutation', '.node-compile-cache');

export default {
  // Plugins by path: under pnpm, core cannot see its sibling packages by name.
  plugins: [
    require.resolve('@stryker-mutator/tap-runner'),
    require.resolve('@stryker-mutator/typescript-checker'),
  ],
  testRunner: 'tap',
  tap: { testFiles: target.tests },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: [...(narrowed ? [narrowed] : target.mutate), ...notTests],
  coverageAnalysis: 'perTest',
  concurrency,
  checkerNodeArgs: [],
  timeoutMS: 20000,
  // Re-runs only re-test mutants whose code or tests changed since the last run.
  incremental: true,
  incrementalFile: relative(join(root, target.dir), join(reports, 'incremental.json')),
  reporters: ['html', 'clear-text', 'progress'],
  htmlReporter: { fileName: relative(join(root, target.dir), join(reports, 'index.html')) },
  // Sandboxes at the same depth as packages/<name>, so tests that read ../../../meshproof.config.ts still find it.
  tempDirName: relative(join(root, target.dir), join(root, '.stryker-tmp')),
  cleanTempDir: true,
  thresholds: { high: 90, low: 80, break: null },
};
