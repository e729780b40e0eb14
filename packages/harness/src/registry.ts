// Named in-process tasks. A step's `task` action names an executor here; the plan carries only the
// name and JSON args, so what runs stays printable. Scenarios contribute their executors as a plain
// record, merged into one registry by tasks.ts.
import type { ClusterPlan, Evidence, HostTool, Json, Plan, Step } from './step.ts';

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface TaskContext {
  plan: Plan;
  step: Step;
  /** The step's cluster, or null for a run-wide step. */
  cluster: ClusterPlan | null;
  /** Absolute path of the repository root. */
  root: string;
  /** Absolute path of `.e2e/<run-id>/`. */
  runDir: string;
  /** Aborted when the step times out or the run is interrupted; pass it on to anything that waits. */
  signal: AbortSignal;
  /** A progress line for the step's log (and the terminal in CI). */
  log(line: string): void;
  /** Adds evidence to the step's entry in results.json. */
  evidence(e: Evidence): void;
  /**
   * Runs a host program the way a `run` action does (own process group, killed with the step);
   * resolves with its exit status, never rejects on a non-zero exit. stdoutFile is relative to the root.
   */
  exec(argv: [HostTool, ...string[]], options?: { input?: string; stdoutFile?: string }): Promise<RunResult>;
}

/** Does the work or throws an Error whose message says what failed; evidence reported before is kept. */
export type TaskExecutor = (args: { [key: string]: Json }, ctx: TaskContext) => Promise<void>;

export type TaskRegistry = ReadonlyMap<string, TaskExecutor>;

/** One registry from several scenario records; a name registered twice is a programming error. */
export function taskRegistry(...records: Readonly<Record<string, TaskExecutor>>[]): TaskRegistry {
  const registry = new Map<string, TaskExecutor>();
  for (const record of records) {
    for (const [name, executor] of Object.entries(record)) {
      if (registry.has(name)) throw new Error(`task "${name}" is registered twice`);
      registry.set(name, executor);
    }
  }
  return registry;
}
