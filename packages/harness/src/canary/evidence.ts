// A canary scenario's evidence for results.json (type "canary"), and its per-step table as Markdown.
// Numbers are rounded for reading; NaN (no samples) becomes null so the record stays JSON.
import type { RolloutAnalysis } from './analyse.ts';
import type { Fault } from './blast-radius.ts';
import type { CanaryPoll } from './timeline.ts';

export interface RolloutRecord {
  scenario: 'promotion' | 'rollback';
  app: string;
  canaryVersion: string;
  previousVersion: string;
  revision: string;
  publishedAt: number | null;
  fetchedAt: number | null;
  polls: CanaryPoll[];
  servingBefore: string;
  servingAfter: string;
  analysis: RolloutAnalysis | null;
  fault: Fault | null;
  problems: string[];
}

export interface StepRow {
  phase: string;
  weight: number;
  /** When Flagger's status first and last showed this step (ms since the epoch). */
  from: number;
  to: number;
  samples: number;
  /** Canary share among answers with a version, and its 95 % interval. */
  share: number | null;
  low: number;
  high: number;
  status: string;
  errors: number;
  errorRate: number | null;
  /** Blast radius: the predicted error range, present for a faulty release. */
  predictedLow?: number;
  predictedHigh?: number;
}

export interface CanaryEvidence {
  type: 'canary';
  scenario: 'promotion' | 'rollback';
  app: string;
  canaryVersion: string;
  previousVersion: string;
  revision: string;
  /** Seconds from the publish to Flux having the commit, and to the final phase. */
  fluxFetchSeconds: number | null;
  finalPhase: string | null;
  rolloutSeconds: number | null;
  servingBefore: string;
  servingAfter: string;
  steps: StepRow[];
  totals: { samples: number; errors: number; clientFailures: number } | null;
  blast: {
    errorRate: number;
    errorRetries: number;
    rate: number | null;
    low: number;
    high: number;
    predictedNoRetry: number;
    predictedLow: number;
    predictedHigh: number;
    consistent: boolean;
  } | null;
  passed: boolean;
  problems: string[];
}

const r4 = (x: number): number | null => (Number.isFinite(x) ? Math.round(x * 10_000) / 10_000 : null);
const r4n = (x: number): number => r4(x) ?? 0;

export function rolloutEvidence(rec: RolloutRecord): CanaryEvidence {
  const a = rec.analysis;
  const blastByStep = new Map((a?.blast?.steps ?? []).map((b) => [b.step, b]));
  const final = rec.polls.at(-1)?.phase ?? null;
  const terminal = rec.polls.find(
    (p, i) =>
      i > 0 &&
      (p.phase === 'Succeeded' || p.phase === 'Failed') &&
      rec.polls.slice(0, i).some((q) => q.phase === 'Progressing'),
  );
  const steps: StepRow[] = (a?.split.steps ?? []).map((s) => {
    const b = blastByStep.get(s.step);
    return {
      phase: s.step.phase,
      weight: s.step.weight,
      from: s.step.firstSeen,
      to: s.step.lastSeen,
      samples: s.samples,
      share: r4(s.share),
      low: r4n(s.ci.low),
      high: r4n(s.ci.high),
      status: s.status,
      errors: s.errors,
      errorRate: s.samples === 0 ? null : r4(s.errors / s.samples),
      ...(b ? { predictedLow: r4n(b.predicted.low), predictedHigh: r4n(b.predicted.high) } : {}),
    };
  });
  const total = a?.blast?.total;
  return {
    type: 'canary',
    scenario: rec.scenario,
    app: rec.app,
    canaryVersion: rec.canaryVersion,
    previousVersion: rec.previousVersion,
    revision: rec.revision,
    fluxFetchSeconds:
      rec.publishedAt !== null && rec.fetchedAt !== null
        ? Math.round((rec.fetchedAt - rec.publishedAt) / 1000)
        : null,
    finalPhase: final,
    rolloutSeconds:
      rec.publishedAt !== null && terminal ? Math.round((terminal.t - rec.publishedAt) / 1000) : null,
    servingBefore: rec.servingBefore,
    servingAfter: rec.servingAfter,
    steps,
    totals: a?.totals ?? null,
    blast:
      total && rec.fault
        ? {
            errorRate: rec.fault.errorRate,
            errorRetries: rec.fault.retries,
            rate: r4(total.rate),
            low: r4n(total.ci.low),
            high: r4n(total.ci.high),
            predictedNoRetry: r4n(total.predicted.noRetry),
            predictedLow: r4n(total.predicted.low),
            predictedHigh: r4n(total.predicted.high),
            consistent: total.consistent,
          }
        : null,
    passed: rec.problems.length === 0,
    problems: rec.problems,
  };
}

const pc = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)} %`);

/** One Markdown table per scenario: weight set, observed share ± CI, errors (and the predicted error range). */
export function canaryMarkdown(cluster: string, e: CanaryEvidence): string {
  const head = `#### ${cluster}: ${e.app} ${e.scenario} ${e.previousVersion} → ${e.canaryVersion}: ${e.passed ? 'passed' : 'FAILED'} (final phase ${e.finalPhase ?? 'none'}${e.rolloutSeconds !== null ? ` after ${e.rolloutSeconds}s` : ''})`;
  const lines = [
    head,
    '',
    '| phase | weight set | answers | canary share [95 % CI] | judged | errors | predicted errors |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...e.steps.map(
      (s) =>
        `| ${s.phase} | ${s.weight} % | ${s.samples} | ${pc(s.share)} [${pc(s.low)}, ${pc(s.high)}] | ${s.status} | ${s.errors} (${pc(s.errorRate)}) | ${s.predictedHigh !== undefined ? `${pc(s.predictedLow ?? 0)}..${pc(s.predictedHigh)}` : ''} |`,
    ),
  ];
  if (e.totals) {
    lines.push(
      '',
      `Client: ${e.totals.samples} backend calls, ${e.totals.errors} failed; ${e.totals.clientFailures} fanout requests without an answer.`,
    );
  }
  if (e.blast) {
    lines.push(
      `Blast radius: ${pc(e.blast.rate)} [${pc(e.blast.low)}, ${pc(e.blast.high)}] of requests failed; the weights with FAULT_ERROR_RATE=${e.blast.errorRate} predict ${pc(e.blast.predictedNoRetry)} without retries, ${pc(e.blast.predictedLow)}..${pc(e.blast.predictedHigh)} with ${e.blast.errorRetries} mesh retries (${e.blast.consistent ? 'consistent' : 'not consistent'}).`,
    );
  }
  for (const p of e.problems) lines.push(`- ${p}`);
  return `${lines.join('\n')}\n`;
}
