import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  buildPlan,
  createReporter,
  existingTarget,
  formatPlan,
  kubeExecutor,
  type Plan,
  PlanInputError,
  runPlan,
  sourceContainerName,
  TASKS,
  trapInterrupts,
  validatePlan,
  wantsLive,
  writeResults,
} from '@meshproof/harness';
import { type Command, parseFlags } from '../command.ts';
import { checkClusterFlag, configFlag, loadConfigOrThrow } from '../config.ts';
import { EXIT, UsageError } from '../io.ts';

const help = `Usage: meshproof e2e [--cluster NAME] [--plan [--json]] [--keep] [--config FILE]
       meshproof e2e --kubeconfig PATH | --existing  --cluster NAME [--yes]
       meshproof e2e --list [--json]

Proves the rendered clusters: creates each kind cluster, installs its mesh through Flux from a Git
server serving this checkout, waits for every layer, checks by traffic that only the calls in the
spec get through, and deletes the cluster. Results, logs and diagnostics go to .e2e/<run-id>/.
  --plan           print every step the run executes (commands and API calls) without running anything
  --json           with --plan: the plan as JSON, the very objects the runner executes;
                   with --list: the spec's clusters as JSON (a CI matrix)
  --cluster NAME   only this cluster from the spec
  --keep           leave the kind clusters running at the end and print how to reach them
  --kubeconfig P   run the proofs on an existing cluster (no create/load/delete), context from P
  --existing       the same with the current context of your default kubeconfig
  --yes            run even when the context is not named after --cluster
  --run-id ID      name of the run folder (default: a timestamp)
  -c, --config     spec to read (default meshproof.config.ts)
Exit codes: 0 every step and probe passed (or plan printed), 1 a proof failed,
2 bad spec, usage or missing prerequisites (tools, Docker).
`;

const newRunId = () =>
  `${new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}-${randomBytes(2).toString('hex')}`;

export const e2e: Command = {
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      ...configFlag,
      plan: { type: 'boolean' },
      json: { type: 'boolean' },
      list: { type: 'boolean' },
      cluster: { type: 'string' },
      keep: { type: 'boolean' },
      kubeconfig: { type: 'string' },
      existing: { type: 'boolean' },
      yes: { type: 'boolean' },
      'run-id': { type: 'string' },
    });
    if (values.help) {
      io.stdout.write(help);
      return EXIT.ok;
    }
    const { platform } = await loadConfigOrThrow(values.config);
    if (values.list) {
      const list = platform.clusters.map((c) => ({ cluster: c.name, mesh: c.mesh }));
      io.stdout.write(
        values.json ? `${JSON.stringify(list)}\n` : list.map((c) => `${c.cluster}\t${c.mesh}\n`).join(''),
      );
      return EXIT.ok;
    }
    if (values.json && !values.plan) throw new UsageError('--json goes with --plan or --list');
    checkClusterFlag(platform, values.cluster);
    const onExisting = values.kubeconfig !== undefined || values.existing === true;
    if (values.kubeconfig !== undefined && values.existing)
      throw new UsageError('--kubeconfig and --existing exclude each other');
    if (onExisting && values.keep)
      throw new UsageError('--keep is for kind clusters; an existing cluster is never deleted');
    const clusters = platform.clusters.filter(
      (c) => values.cluster === undefined || c.name === values.cluster,
    );
    if (onExisting && clusters.length !== 1)
      throw new UsageError('--kubeconfig/--existing runs one cluster: name it with --cluster');
    const runId = values['run-id'] ?? newRunId();
    if (!/^[\w.-]+$/.test(runId))
      throw new UsageError(`--run-id: "${runId}" may hold only letters, digits, . _ -`);
    const root = process.cwd();
    let plan: Plan;
    try {
      const existing = onExisting
        ? existingTarget(values.kubeconfig ?? null, clusters[0]?.name ?? '', values.yes === true)
        : undefined;
      plan = buildPlan({
        root,
        platform: { ...platform, clusters },
        runId,
        keep: values.keep === true,
        existing,
        baseImage: process.env.MESHPROOF_BASE_IMAGE || undefined,
      });
    } catch (e) {
      if (
        e instanceof PlanInputError ||
        (e as Error).message.includes('context') ||
        (e as Error).message.includes('kubeconfig')
      )
        throw new UsageError((e as Error).message);
      throw e;
    }
    const problems = validatePlan(plan, new Set(TASKS.keys()));
    if (problems.length > 0) throw new Error(`the plan is not runnable:\n  ${problems.join('\n  ')}`);
    if (values.plan) {
      io.stdout.write(values.json ? `${JSON.stringify(plan, null, 2)}\n` : `${formatPlan(plan)}\n`);
      return EXIT.ok;
    }
    return execute(plan, root, io);
  },
};

async function execute(plan: Plan, root: string, io: Parameters<Command['run']>[1]): Promise<number> {
  // The run folder holds the exact plan handed to the engine, next to its results.
  mkdirSync(resolve(root, plan.runDir), { recursive: true });
  writeFileSync(resolve(root, plan.runDir, 'plan.json'), `${JSON.stringify(plan, null, 2)}\n`);
  const interrupts = trapInterrupts();
  try {
    const isTty = (io.stdout as { isTTY?: boolean }).isTTY === true;
    const record = await runPlan(plan, {
      root,
      tasks: TASKS,
      kube: kubeExecutor,
      reporter: createReporter(io.stdout, wantsLive(isTty, process.env)),
      interrupt: interrupts.signal,
      toolDirs: ['.tools/bin'],
    });
    const results = writeResults(root, plan, record);
    io.stdout.write(`results: ${plan.runDir}/results.json, junit.xml, summary.md\n`);
    // --keep: the clusters this run created are still there (nothing deleted them).
    const kept = plan.clusters.filter(
      (c) =>
        !plan.steps.some((s) => s.id === `${c.name}/cluster/delete`) &&
        record.steps.some((s) => s.id === `${c.name}/cluster/create` && s.status === 'passed'),
    );
    for (const c of kept)
      io.stdout.write(
        `kept ${c.name}: kubectl --kubeconfig ${c.target.kubeconfig} --context ${c.target.context} get pods -A\n` +
          `  remove it with: kind delete cluster --name ${c.name} && docker rm -f ${sourceContainerName(c.name)}\n`,
      );
    const interrupted = interrupts.exitCode();
    if (interrupted !== undefined) return interrupted;
    if (results.passed) return EXIT.ok;
    const prerequisite = record.steps.find((s) => s.exitCode === 2);
    if (prerequisite) {
      io.stderr.write(`meshproof e2e: missing prerequisite (${prerequisite.id}): ${prerequisite.reason}\n`);
      return EXIT.usage;
    }
    return EXIT.failure;
  } finally {
    interrupts.dispose();
  }
}
