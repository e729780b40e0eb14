// Executes a plan's steps, in order, exactly as given. Scope rules (step.ts): a failed 'stop' step
// ends its cluster's normal path (a failed run-wide step ends every cluster's); 'failed' steps run
// only for a scope that failed; 'always' steps run for every scope that started, interrupts
// included. Each step is bounded by its timeoutMs; its processes die with it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import type { RunResult, TaskContext, TaskRegistry } from '../registry.ts';
import type { Action, ClusterPlan, Evidence, HostTool, KubeAction, Plan, Step } from '../step.ts';
import { spawnTree } from './process.ts';
import type { RunRecord, StepRecord } from './record.ts';

export interface KubeContext {
  root: string;
  signal: AbortSignal;
  log(line: string): void;
  evidence(e: Evidence): void;
}

/** Runs one `kube` action; throws with what failed. Injected so the engine itself needs no cluster. */
export type KubeExecutor = (action: KubeAction, ctx: KubeContext) => Promise<void>;

export interface Reporter {
  runStarted(plan: Plan): void;
  stepStarted(step: Step): void;
  stepLine(step: Step, line: string): void;
  stepFinished(step: Step, record: StepRecord): void;
  runFinished(record: RunRecord): void;
}

export interface EngineOptions {
  /** Absolute repository root: cwd of host programs, base of every relative path in the plan. */
  root: string;
  tasks: TaskRegistry;
  kube: KubeExecutor;
  reporter: Reporter;
  /** Aborted by the CLI on SIGINT/SIGTERM (with the signal name as reason). */
  interrupt: AbortSignal;
  /** Between SIGTERM and SIGKILL for a step's processes. */
  graceMs?: number;
  /** Folders searched first for host programs (the pinned tools in .tools/bin). */
  toolDirs?: string[];
}

class StepTimeout extends Error {}

export async function runPlan(plan: Plan, o: EngineOptions): Promise<RunRecord> {
  const started = Date.now();
  const graceMs = o.graceMs ?? 5_000;
  const env = {
    ...process.env,
    PATH: [...(o.toolDirs ?? []).map((d) => resolve(o.root, d)), process.env.PATH ?? ''].join(delimiter),
  };
  const stopped = new Set<string>(); // scopes whose normal path ended
  const failed = new Set<string>(); // scopes with any failure (diagnostics run for these)
  const begun = new Set<string>(); // scopes with a step attempted (cleanup runs for these)
  const records: StepRecord[] = [];
  o.reporter.runStarted(plan);
  for (const s of plan.steps) {
    const scope = s.cluster ?? 'run';
    const skip = (reason: string): StepRecord => ({
      id: s.id,
      cluster: s.cluster,
      title: s.title,
      status: 'skipped',
      reason,
      durationMs: 0,
      evidence: [],
    });
    let record: StepRecord;
    if (o.interrupt.aborted && s.when !== 'always') {
      record = skip(`not run: interrupted by ${String(o.interrupt.reason)}`);
    } else if (s.when === 'always' && !begun.has(scope) && scope !== 'run') {
      record = skip('nothing to clean up: no step of this cluster ran');
    } else if (s.when === 'failed' && !failed.has(scope)) {
      record = skip('diagnostics: nothing failed');
    } else if (s.when === 'ok' && (stopped.has(scope) || stopped.has('run'))) {
      record = skip(`not run: an earlier step of ${stopped.has(scope) ? scope : 'the run'} failed`);
    } else if (s.skip !== undefined) {
      record = skip(s.skip);
    } else {
      begun.add(scope);
      record = await executeStep(plan, s, { ...o, graceMs, env });
      if (record.status !== 'passed') {
        failed.add(scope);
        if (s.onFailure === 'stop') stopped.add(scope);
      }
    }
    records.push(record);
    // Skips are counted at the end, not listed: after an early failure they would bury its message.
    if (record.status !== 'skipped') o.reporter.stepFinished(s, record);
  }
  const run: RunRecord = {
    runId: plan.runId,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    interrupted: o.interrupt.aborted ? (String(o.interrupt.reason) as NodeJS.Signals) : null,
    steps: records,
  };
  o.reporter.runFinished(run);
  return run;
}

type ExecOptions = EngineOptions & { graceMs: number; env: NodeJS.ProcessEnv };

async function executeStep(plan: Plan, s: Step, o: ExecOptions): Promise<StepRecord> {
  const startedAt = Date.now();
  const log = join(plan.runDir, 'logs', `${s.id.replaceAll('/', '__')}.log`);
  const logLines: string[] = [];
  const evidence: Evidence[] = [];
  const controller = new AbortController();
  const onInterrupt = () => controller.abort(o.interrupt.reason);
  // Cleanup steps run after an interrupt; a second interrupt still stops them.
  if (o.interrupt.aborted && s.when !== 'always') controller.abort(o.interrupt.reason);
  o.interrupt.addEventListener('abort', onInterrupt, { once: true });
  const timer = setTimeout(() => controller.abort(new StepTimeout()), s.timeoutMs);
  const line = (text: string) => {
    logLines.push(text);
    o.reporter.stepLine(s, text);
  };
  o.reporter.stepStarted(s);
  const cluster = plan.clusters.find((c) => c.name === s.cluster) ?? null;
  let error: unknown;
  try {
    for (const action of s.actions) {
      if (controller.signal.aborted) break;
      await raceAbort(
        runAction(plan, s, cluster, action, controller.signal, line, evidence, o),
        controller.signal,
        o.graceMs,
      );
    }
  } catch (e) {
    error = e;
  } finally {
    clearTimeout(timer);
    o.interrupt.removeEventListener('abort', onInterrupt);
  }
  mkdirSync(resolve(o.root, dirname(log)), { recursive: true });
  writeFileSync(resolve(o.root, log), `${logLines.join('\n')}\n`);
  const base = {
    id: s.id,
    cluster: s.cluster,
    title: s.title,
    startedAt: new Date(startedAt).toISOString(),
    durationMs: Date.now() - startedAt,
    evidence,
    log,
  };
  const reason = controller.signal.reason;
  if (reason instanceof StepTimeout)
    return { ...base, status: 'timed-out', reason: `timed out after ${Math.round(s.timeoutMs / 1000)}s` };
  if (controller.signal.aborted)
    return { ...base, status: 'interrupted', reason: `interrupted by ${String(reason)}` };
  if (error !== undefined) {
    // tools/ marks a missing prerequisite with exitCode 2 (bad input, not a failed proof).
    const prerequisite = (error as { exitCode?: unknown }).exitCode === 2 ? { exitCode: 2 as const } : {};
    return { ...base, status: 'failed', reason: (error as Error).message ?? String(error), ...prerequisite };
  }
  return { ...base, status: 'passed' };
}

// A task that ignores its signal must not hold the run: once aborted, wait twice the grace period (a
// process tree gets SIGKILL after one), then move on.
function raceAbort<T>(work: Promise<T>, signal: AbortSignal, graceMs: number): Promise<T | undefined> {
  return new Promise((resolvePromise, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      timer = setTimeout(() => resolvePromise(undefined), 2 * graceMs);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolvePromise(v);
      },
      (e) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

async function runAction(
  plan: Plan,
  s: Step,
  cluster: ClusterPlan | null,
  action: Action,
  signal: AbortSignal,
  line: (text: string) => void,
  evidence: Evidence[],
  o: ExecOptions,
): Promise<void> {
  const exec = (
    argv: readonly string[],
    extra: { cwd?: string; stdoutFile?: string; input?: string } = {},
  ) => {
    const [tool, ...args] = argv;
    // `node` is the Node running the runner, whatever PATH holds.
    const command = tool === 'node' ? process.execPath : (tool as string);
    line(`$ ${argv.join(' ')}`);
    return spawnTree([command, ...args], {
      cwd: resolve(o.root, extra.cwd ?? '.'),
      env: o.env,
      signal,
      stdoutFile: extra.stdoutFile && resolve(o.root, extra.stdoutFile),
      input: extra.input,
      onLine: line,
      graceMs: o.graceMs,
    });
  };
  switch (action.type) {
    case 'run': {
      const result = await exec(action.argv, action);
      if (signal.aborted) return;
      if (result.code !== 0) throw new Error(failureMessage(action.argv, result));
      return;
    }
    case 'kube':
      return o.kube(action, { root: o.root, signal, log: line, evidence: (e) => evidence.push(e) });
    case 'task': {
      const executor = o.tasks.get(action.name);
      if (!executor) throw new Error(`no executor registered for task "${action.name}"`);
      const ctx: TaskContext = {
        plan,
        step: s,
        cluster,
        root: o.root,
        runDir: resolve(o.root, plan.runDir),
        signal,
        log: line,
        evidence: (e) => evidence.push(e),
        exec: (argv: [HostTool, ...string[]], options?: { input?: string; stdoutFile?: string }) =>
          exec(argv, options),
      };
      return executor(action.args, ctx);
    }
  }
}

function failureMessage(argv: readonly string[], r: RunResult): string {
  const how = r.code === null ? (r.signal ? `killed by ${r.signal}` : 'did not start') : `exited ${r.code}`;
  const tail = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-5).join('\n');
  return `${argv.slice(0, 4).join(' ')}${argv.length > 4 ? ' …' : ''} ${how}${tail ? `: ${tail}` : ''}`;
}
