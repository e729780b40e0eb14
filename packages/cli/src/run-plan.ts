// What `meshproof e2e` and `meshproof bench` share: the target flags (kind, or --kubeconfig/--existing with
// the context-name check), the plan from harness's one builder, and handing that plan to the engine with
// the same exit codes (0 passed, 1 failed, 2 missing prerequisite).
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  buildPlan,
  createReporter,
  existingTarget,
  kubeExecutor,
  type Plan,
  PlanInputError,
  runPlan,
  type Scenario,
  sourceContainerName,
  type TaskRegistry,
  trapInterrupts,
  validatePlan,
  wantsLive,
  writeResults,
} from '@meshproof/harness';
import type { Platform } from '@meshproof/spec';
import { checkClusterFlag } from './config.ts';
import { EXIT, type Io, UsageError } from './io.ts';

export const targetFlags = {
  cluster: { type: 'string' },
  keep: { type: 'boolean' },
  kubeconfig: { type: 'string' },
  existing: { type: 'boolean' },
  yes: { type: 'boolean' },
  'run-id': { type: 'string' },
} as const;

export interface TargetValues {
  cluster?: string;
  keep?: boolean;
  kubeconfig?: string;
  existing?: boolean;
  yes?: boolean;
  'run-id'?: string;
}

export const newRunId = () =>
  `${new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}-${randomBytes(2).toString('hex')}`;

export interface RunKind {
  /** The folder a run writes under: `.e2e` or `.bench`. */
  folder: string;
  /** What runs once each cluster is Ready; harness's default scenarios when undefined. */
  scenarios?: readonly Scenario[];
  tasks: TaskRegistry;
}

/** The plan for these flags, validated against the tasks that will run it; bad input is a UsageError. */
export function planFromFlags(values: TargetValues, platform: Platform, kind: RunKind): Plan {
  checkClusterFlag(platform, values.cluster);
  const onExisting = values.kubeconfig !== undefined || values.existing === true;
  if (values.kubeconfig !== undefined && values.existing)
    throw new UsageError('--kubeconfig and --existing exclude each other');
  if (onExisting && values.keep)
    throw new UsageError('--keep is for kind clusters; an existing cluster is never deleted');
  const clusters = platform.clusters.filter((c) => values.cluster === undefined || c.name === values.cluster);
  if (onExisting && clusters.length !== 1)
    throw new UsageError('--kubeconfig/--existing runs one cluster: name it with --cluster');
  const runId = values['run-id'] ?? newRunId();
  if (!/^[\w.-]+$/.test(runId))
    throw new UsageError(`--run-id: "${runId}" may hold only letters, digits, . _ -`);
  let plan: Plan;
  try {
    const existing = onExisting
      ? existingTarget(values.kubeconfig ?? null, clusters[0]?.name ?? '', values.yes === true)
      : undefined;
    plan = buildPlan({
      root: process.cwd(),
      platform: { ...platform, clusters },
      runId,
      runDir: `${kind.folder}/${runId}`,
      keep: values.keep === true,
      existing,
      baseImage: process.env.MESHPROOF_BASE_IMAGE || undefined,
      scenarios: kind.scenarios,
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
  const problems = validatePlan(plan, new Set(kind.tasks.keys()));
  if (problems.length > 0) throw new Error(`the plan is not runnable:\n  ${problems.join('\n  ')}`);
  return plan;
}

/** Runs the plan with the engine; `command` names the CLI command in messages. */
export async function executePlan(plan: Plan, tasks: TaskRegistry, io: Io, command: string): Promise<number> {
  const root = process.cwd();
  // The run folder holds the exact plan handed to the engine, next to its results.
  mkdirSync(resolve(root, plan.runDir), { recursive: true });
  writeFileSync(resolve(root, plan.runDir, 'plan.json'), `${JSON.stringify(plan, null, 2)}\n`);
  const interrupts = trapInterrupts();
  try {
    const isTty = (io.stdout as { isTTY?: boolean }).isTTY === true;
    const record = await runPlan(plan, {
      root,
      tasks,
      kube: kubeExecutor,
      reporter: createReporter(io.stdout, wantsLive(isTty, process.env), `meshproof ${command}`),
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
      io.stderr.write(
        `meshproof ${command}: missing prerequisite (${prerequisite.id}): ${prerequisite.reason}\n`,
      );
      return EXIT.usage;
    }
    return EXIT.failure;
  } finally {
    interrupts.dispose();
  }
}
