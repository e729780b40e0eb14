// Speed figures of what a user waits for: the cold wall time of the real commands through ./dev
// (a new process each time, median of RUNS), next to the floor of starting Node at all. The doctor's
// warm in-process time (schemas compiled, files re-read) follows as a secondary figure only.
// Printed, never asserted: timings on a shared machine are noisy, so the load average is printed too.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { defaultCacheDir, findRepoRoot, openValidator } from '@meshproof/schemas';
import { runChecks } from '../src/index.ts';

const root = findRepoRoot(import.meta.dirname);
const RUNS = 5;
const dev = join(root, 'dev');
const env = { ...process.env, MESHPROOF_DEV_QUIET: '1' };

const ms = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;
const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** Median wall time of RUNS fresh processes (after one untimed run that fills the on-disk caches). */
function wall(
  cmd: string,
  args: string[],
  extraEnv: Record<string, string> = {},
): { ms: number; status: number | null } {
  const once = () => {
    const start = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { cwd: root, env: { ...env, ...extraEnv }, stdio: 'ignore' });
    return { ms: ms(start), status: r.status };
  };
  const first = once();
  const times = Array.from({ length: RUNS }, () => once().ms);
  return { ms: median(times), status: first.status };
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const fmt = (n: number) => `${n.toFixed(0)} ms`.padStart(8);
const verdict = (n: number, goal: number) => `[goal < ${goal} ms: ${n < goal ? 'met' : 'MISSED'}]`;

const hasSchemas = existsSync(join(defaultCacheDir(root), 'manifest.json'));
const checkArgs = hasSchemas ? ['meshproof', 'check'] : ['meshproof', 'check', '--skip-schemas'];
const main = join(root, 'packages', 'cli', 'src', 'main.ts');

console.log(
  `cold wall time, a new process each run, median of ${RUNS} (load average before: ${load()}, ${RUNS} runs each)`,
);
const nodeFloor = wall(process.execPath, ['-e', '0']);
const devVersion = wall(dev, ['--version']);
const helpDirect = wall(process.execPath, [main, '--help']);
const helpDev = wall(dev, ['meshproof', '--help']);
const overhead = helpDev.ms - helpDirect.ms;
console.log(`  node -e 0 (floor)                   ${fmt(nodeFloor.ms)}`);
console.log(`  ./dev --version                     ${fmt(devVersion.ms)}`);
console.log(
  `  ./dev meshproof --help              ${fmt(helpDev.ms)}  (node main.ts --help: ${helpDirect.ms.toFixed(0)} ms)`,
);
console.log(`  ./dev wrapper overhead              ${fmt(overhead)}  ${verdict(overhead, 200)}`);
const rows: [string, string[], number][] = [
  ['./dev meshproof validate', ['meshproof', 'validate'], 1000],
  ['./dev meshproof render --check', ['meshproof', 'render', '--check'], 1000],
  [`./dev ${checkArgs.join(' ')}`, checkArgs, 1500],
];
for (const [label, args, goal] of rows) {
  const r = wall(dev, args);
  console.log(`  ${label.padEnd(35)} ${fmt(r.ms)}  ${verdict(r.ms, goal)}  (exit ${r.status})`);
}
const noCache = wall(dev, ['meshproof', 'validate'], { NODE_DISABLE_COMPILE_CACHE: '1' });
console.log(
  `  validate without Node's compile cache ${fmt(noCache.ms)}  (what the very first run after a change pays)`,
);
console.log(`load average after: ${load()}`);

// Secondary: the doctor in-process, for telling module loading apart from checking.
const validator = hasSchemas ? openValidator(defaultCacheDir(root)) : undefined;
const paths = [join(root, 'clusters')];
let start = process.hrtime.bigint();
const first = await runChecks({ paths, cwd: root, validator });
const coldIn = ms(start);
const warm: number[] = [];
for (let i = 0; i < RUNS; i++) {
  start = process.hrtime.bigint();
  await runChecks({ paths, cwd: root, validator });
  warm.push(ms(start));
}
console.log(
  `secondary, in-process check over clusters/ (${first.files} files, ${first.objects} objects${validator ? `, ${validator.kindCount} CRD kind versions` : ', schemas skipped'}): first ${coldIn.toFixed(0)} ms, warm median ${median(warm).toFixed(0)} ms — not what a user waits for`,
);

// Issue 12: one large manifest must cost time and memory in proportion to its size.
const { bigManifestFigures } = await import('./big-manifest.ts');
for (const line of bigManifestFigures()) console.log(line);
