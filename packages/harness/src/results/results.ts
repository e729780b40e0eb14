// results.json: every step with status, duration and evidence; every planned probe with its outcome.

import type { CanaryEvidence } from '../canary/evidence.ts';
import { HEADER_ROUTE_GROUP } from '../canary/header-route-steps.ts';
import type { RunRecord, StepRecord } from '../engine/record.ts';
import { runPassed } from '../engine/record.ts';
import type { Evidence, Json, Plan, PlannedProbe } from '../step.ts';

export interface ProbeResult {
  cluster: string;
  probe: PlannedProbe;
  /** passed/failed from the probe's evidence; 'not run' when its step never reported it. */
  status: 'passed' | 'failed' | 'not run';
  outcome: Json;
}

/** One canary scenario's evidence (canary/evidence.ts), with the step that reported it. */
export interface CanaryResult {
  cluster: string;
  step: string;
  evidence: CanaryEvidence;
}

/** One header route check (scenario 5): its step's status, and the versions counted each way when it ran. */
export interface HeaderRouteResult {
  cluster: string;
  step: string;
  status: StepRecord['status'];
  /** Why it failed or was skipped (e.g. the mesh cannot route by header). */
  reason: string | null;
  evidence: Evidence | null;
}

export interface Results {
  runId: string;
  startedAt: string;
  durationMs: number;
  passed: boolean;
  interrupted: string | null;
  clusters: { name: string; mesh: string; existing: boolean; passed: boolean }[];
  steps: StepRecord[];
  probes: ProbeResult[];
  canaries: CanaryResult[];
  headerRoutes: HeaderRouteResult[];
}

const failedStatus = (s: StepRecord) =>
  s.status === 'failed' || s.status === 'timed-out' || s.status === 'interrupted';

export function buildResults(plan: Plan, run: RunRecord): Results {
  const reported = new Map<string, { passed: boolean; outcome: Json }>();
  for (const s of run.steps)
    for (const e of s.evidence) {
      if (e.type !== 'probe') continue;
      const probe = e.probe as { id?: string } | undefined;
      if (probe?.id) reported.set(probe.id, { passed: e.passed === true, outcome: e.outcome ?? null });
    }
  const probes: ProbeResult[] = plan.clusters.flatMap((c) =>
    c.probes.map((probe) => {
      const r = reported.get(probe.id);
      return {
        cluster: c.name,
        probe,
        status: r ? (r.passed ? 'passed' : 'failed') : 'not run',
        outcome: r?.outcome ?? null,
      };
    }),
  );
  const runFailed = run.steps.some((s) => s.cluster === null && failedStatus(s));
  return {
    runId: run.runId,
    startedAt: run.startedAt,
    durationMs: run.durationMs,
    // A probe the plan lists but no step reported proves nothing: the run does not pass without it.
    passed: runPassed(run) && probes.every((p) => p.status === 'passed'),
    interrupted: run.interrupted,
    clusters: plan.clusters.map((c) => ({
      name: c.name,
      mesh: c.mesh,
      existing: c.existing,
      passed:
        !runFailed &&
        run.interrupted === null &&
        !run.steps.some((s) => s.cluster === c.name && failedStatus(s)) &&
        probes.every((p) => p.cluster !== c.name || p.status === 'passed'),
    })),
    steps: run.steps,
    probes,
    canaries: run.steps.flatMap((s) =>
      s.evidence
        .filter((e) => e.type === 'canary')
        .map((e) => ({ cluster: s.cluster ?? 'run', step: s.id, evidence: e as unknown as CanaryEvidence })),
    ),
    headerRoutes: run.steps
      .filter((s) => s.cluster !== null && s.id.startsWith(`${s.cluster}/${HEADER_ROUTE_GROUP}/`))
      .map((s) => ({
        cluster: s.cluster as string,
        step: s.id,
        status: s.status,
        reason: s.reason ?? null,
        evidence: s.evidence.find((e) => e.type === 'header-route') ?? null,
      })),
  };
}
