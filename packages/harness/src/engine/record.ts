// What a run records: one entry per step of the plan, in plan order.
import type { Evidence } from '../step.ts';

export type StepStatus = 'passed' | 'failed' | 'timed-out' | 'interrupted' | 'skipped';

export interface StepRecord {
  id: string;
  cluster: string | null;
  title: string;
  status: StepStatus;
  /** Why it failed, was skipped or interrupted. */
  reason?: string;
  /** 2 when the failure is a missing prerequisite (the error carried exitCode 2), not a failed proof. */
  exitCode?: 2;
  startedAt?: string;
  durationMs: number;
  evidence: Evidence[];
  /** The step's output, relative to the repository root. */
  log?: string;
}

export interface RunRecord {
  runId: string;
  startedAt: string;
  durationMs: number;
  /** The signal that interrupted the run, if one did. */
  interrupted: NodeJS.Signals | null;
  steps: StepRecord[];
}

/** Every step passed or was legitimately skipped (a skip after a failure implies that failure), and nothing interrupted the run. */
export const runPassed = (r: RunRecord) =>
  r.interrupted === null && r.steps.every((s) => s.status === 'passed' || s.status === 'skipped');
