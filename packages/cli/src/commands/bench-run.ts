// `meshproof bench [--cluster NAME] [--profile quick|full] …`: the in-cluster benchmark, run by the same
// engine and plan builder as `meshproof e2e`, with the benchmark as the scenario after the Flux waits.
import { PROFILE_NAMES, PROFILES, type ProfileName } from '@meshproof/bench';
import { BENCH_TASKS, benchScenario, formatPlan, TASKS, taskRegistry } from '@meshproof/harness';
import { parseFlags } from '../command.ts';
import { configFlag, loadConfigOrThrow } from '../config.ts';
import { EXIT, type Io, UsageError } from '../io.ts';
import { executePlan, planFromFlags, targetFlags } from '../run-plan.ts';

export const RUN_HELP = `Usage: meshproof bench [--cluster NAME] [--profile quick|full] [--plan [--json]] [--keep] [--config FILE]
       meshproof bench --kubeconfig PATH | --existing  --cluster NAME [--yes] [--profile quick|full]

Measures the mTLS overhead on each cluster of the spec. On kind it runs what \`meshproof e2e\` runs up to
a Ready cluster (tools, images, cluster, Flux from this checkout, every wait), then: the demo backend in
a namespace outside the mesh (bench-plain) and one inside it (bench-mesh), k6 Jobs (open model, constant
arrival rate) on a load node against a server node, plain and mesh repetitions alternated, data-plane
CPU/memory sampled during each run; diagnostics on failure; the cluster deleted at the end.
Writes .bench/<run-id>/<cluster>/ (raw k6 output, resource samples, results.json) and the run's
results.json, junit.xml and summary.md in .bench/<run-id>/; then
\`meshproof bench report .bench/<run-id> --out report.html\`.
  --cluster NAME      only this cluster
  --profile P         quick (3 pairs × 60 s at 200 req/s, default) or full (10 pairs × 180 s at 500 req/s)
  --plan              print every step the run executes without running anything
  --json              with --plan: the plan as JSON, the very objects the runner executes
  --keep              leave the kind clusters running at the end and print how to reach them
  --kubeconfig PATH   benchmark an existing cluster (no create/load/delete), context from PATH;
                      the k6 image (pinned by digest) must be pullable there
  --existing          the same with the current context of your default kubeconfig
  --yes               run even when the context is not named after --cluster
  --run-id ID         name of the run folder (default: a timestamp)
  -c, --config FILE   spec to read (default meshproof.config.ts)
Exit codes: 0 every step passed (or plan printed), 1 a step failed or the run is invalid,
2 bad spec, usage or missing prerequisites (tools, Docker).
`;

export async function runBench(argv: string[], io: Io): Promise<number> {
  const { values } = parseFlags(argv, {
    ...configFlag,
    ...targetFlags,
    profile: { type: 'string', default: 'quick' },
    plan: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    io.stdout.write(RUN_HELP);
    return EXIT.ok;
  }
  if (!(PROFILE_NAMES as string[]).includes(values.profile as string))
    throw new UsageError(`--profile must be one of ${PROFILE_NAMES.join('|')} (got "${values.profile}")`);
  if (values.json && !values.plan) throw new UsageError('--json goes with --plan');
  const { platform } = await loadConfigOrThrow(values.config);
  const tasks = taskRegistry(Object.fromEntries(TASKS), BENCH_TASKS);
  const plan = planFromFlags(values, platform, {
    folder: '.bench',
    scenarios: [benchScenario(PROFILES[values.profile as ProfileName])],
    tasks,
  });
  if (values.plan) {
    io.stdout.write(values.json ? `${JSON.stringify(plan, null, 2)}\n` : `${formatPlan(plan)}\n`);
    return EXIT.ok;
  }
  return executePlan(plan, tasks, io, 'bench');
}
