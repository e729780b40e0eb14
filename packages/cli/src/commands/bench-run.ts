// `meshproof bench [--cluster NAME] [--profile quick|full] [--kubeconfig FILE] [--plan] [--json]`: the
// in-cluster benchmark as runner steps.
import { benchPlan, PROFILE_NAMES, PROFILES, type ProfileName } from '@meshproof/bench';
import { formatPlan } from '@meshproof/harness';
import { parseFlags } from '../command.ts';
import { checkClusterFlag, configFlag, loadConfigOrThrow } from '../config.ts';
import { EXIT, type Io, UsageError } from '../io.ts';

export const RUN_HELP = `Usage: meshproof bench [--cluster NAME] [--profile quick|full] [--kubeconfig FILE [--context CTX]] [--plan] [--json]

Measures the mTLS overhead on each cluster of the spec: the demo backend in a namespace outside the mesh
(bench-plain) and one inside it (bench-mesh), k6 Jobs (open model, constant arrival rate) on a load node
against a server node, plain and mesh repetitions alternated; data-plane CPU/memory sampled during each run.
Writes .bench/<run-id>/<cluster>/ (raw k6 output, resource samples, results.json); then
\`meshproof bench report .bench/<run-id> --out report.html\`.
  --cluster NAME      only this cluster
  --profile P         quick (3 pairs × 60 s at 200 req/s, default) or full (10 pairs × 180 s at 500 req/s)
  --kubeconfig FILE   an already-running cluster (default: the kind context kind-<cluster> that ./dev e2e creates)
  --context CTX       context in that kubeconfig
  --plan              print the steps and exit; with --json, the plan object the runner executes
  -c, --config FILE   spec to read (default meshproof.config.ts)
Exit codes: 0 plan printed; 1 not run (the runner engine is not on main yet); 2 usage or bad spec.
`;

export async function runBench(argv: string[], io: Io): Promise<number> {
  const { values } = parseFlags(argv, {
    ...configFlag,
    cluster: { type: 'string' },
    profile: { type: 'string', default: 'quick' },
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
    plan: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    io.stdout.write(RUN_HELP);
    return EXIT.ok;
  }
  if (!(PROFILE_NAMES as string[]).includes(values.profile as string))
    throw new UsageError(`--profile must be one of ${PROFILE_NAMES.join('|')} (got "${values.profile}")`);
  if (values.context && !values.kubeconfig) throw new UsageError('--context needs --kubeconfig');
  const { platform } = await loadConfigOrThrow(values.config);
  checkClusterFlag(platform, values.cluster);
  const plan = benchPlan(platform, {
    profile: PROFILES[values.profile as ProfileName],
    clusters: values.cluster ? [values.cluster] : undefined,
    kubeconfig: values.kubeconfig,
    context: values.context,
  });
  if (values.json) io.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
  else io.stdout.write(`${formatPlan(plan)}\n`);
  if (values.plan) return EXIT.ok;
  io.stderr.write(
    '\nmeshproof bench: the runner engine that executes these steps is not on main yet; nothing was run (use --plan).\n',
  );
  return EXIT.failure;
}
