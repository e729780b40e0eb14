// Executor of the zero-trust probe steps (steps.ts): sends each probe of one target from its caller's
// pod with the argv the plan shows, retries until the verdict holds, reports every attempt's evidence.
import { setTimeout as sleep } from 'node:timers/promises';
import { type DenyClass, knownDenySignatures } from '@meshproof/render';
import type { RunResult, TaskContext, TaskExecutor } from '../registry.ts';
import type { ClusterPlan, HostTool, Json, PlannedProbe } from '../step.ts';
import { type ProbeResult, type ProbeRetry, prove } from './prove.ts';
import { ZERO_TRUST_PROBES } from './steps.ts';

const fail = (what: string): never => {
  throw new Error(`task ${ZERO_TRUST_PROBES}: ${what}`);
};

const toJson = (value: unknown): Json => JSON.parse(JSON.stringify(value)) as Json;

interface PlannedRun {
  probe: PlannedProbe;
  controls: string[];
  argv: [HostTool, ...string[]];
}

const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

function readArgs(args: { [key: string]: Json }, plan: ClusterPlan | null) {
  if (!plan) fail('runs on a cluster: the step has no cluster');
  const planned = new Map((plan as ClusterPlan).probes.map((p) => [p.id, p]));
  const list = args.probes;
  if (!Array.isArray(list) || list.length === 0) fail('args.probes must be a non-empty list');
  const argvs = (args.argv ?? {}) as { [id: string]: Json };
  const runs = (list as Json[]).map((entry, i): PlannedRun => {
    const { id, controls } = (entry ?? {}) as { id?: unknown; controls?: unknown };
    const probe = typeof id === 'string' ? planned.get(id) : undefined;
    if (!probe)
      fail(`args.probes[${i}]: "${String(id)}" is not a probe of ${(plan as ClusterPlan).name}'s plan`);
    if (!strings(controls)) fail(`args.probes[${i}].controls must be a list of probe ids`);
    const argv = argvs[id as string];
    if (!strings(argv) || argv[0] !== 'kubectl') fail(`args.argv["${String(id)}"] must be a kubectl command`);
    return {
      probe: probe as PlannedProbe,
      controls: controls as string[],
      argv: argv as [HostTool, ...string[]],
    };
  });
  const refusals = args.refusals as { classes?: unknown; l7?: unknown } | null;
  if (!refusals || !strings(refusals.classes) || !strings(refusals.l7)) {
    fail("args.refusals must be { classes, l7 } (the mesh's ZeroTrustFacts.denials)");
  }
  const known = new Map(knownDenySignatures().map((s) => [s.id, s]));
  const l7 = (refusals as { l7: string[] }).l7.map(
    (id) => known.get(id) ?? fail(`args.refusals.l7: no signature "${id}"`),
  );
  const retry = args.retry as unknown as ProbeRetry;
  for (const k of ['intervalMs', 'boundMs', 'consecutive', 'requestTimeoutMs'] as const) {
    if (!(typeof retry?.[k] === 'number' && retry[k] > 0)) fail(`args.retry.${k} must be a positive number`);
  }
  const execTimeoutMs = args.execTimeoutMs;
  if (!(typeof execTimeoutMs === 'number' && execTimeoutMs > 0))
    fail('args.execTimeoutMs must be a positive number');
  return {
    runs,
    denials: { classes: (refusals as { classes: DenyClass[] }).classes, l7 },
    retry,
    execTimeoutMs: execTimeoutMs as number,
  };
}

/** One line per probe for the step log: what was expected, what came back, how often. */
export function summary(r: ProbeResult): string {
  const last = r.attempts.at(-1)?.classification;
  const got = last ? `${last.outcome}${last.signature ? `/${last.signature}` : ''}` : 'nothing';
  return `${r.pass ? 'PASS' : 'FAIL'} ${r.probe.from} → ${r.probe.to} ${r.probe.method} ${r.probe.path} expect ${r.probe.expect} [${r.probe.caller}]: ${got} after ${r.attempts.length} attempt(s) — ${r.reason}`;
}

/**
 * One attempt, bounded: a kubectl exec that hangs (API server, stream set-up) becomes a failed
 * attempt instead of eating the step's whole budget; the engine kills the stray process with the step.
 */
async function execBounded(ctx: TaskContext, argv: [HostTool, ...string[]], ms: number): Promise<RunResult> {
  const timer = new AbortController();
  const gaveUp = sleep(ms, undefined, { signal: timer.signal }).then(
    (): RunResult => ({
      code: null,
      signal: null,
      stdout: '',
      stderr: `no result from kubectl exec within ${ms / 1000} s`,
    }),
  );
  try {
    return await Promise.race([ctx.exec(argv), gaveUp]);
  } finally {
    timer.abort();
    gaveUp.catch(() => {});
  }
}

const probeTask: TaskExecutor = async (args, ctx) => {
  const { runs, denials, retry, execTimeoutMs } = readArgs(args, ctx.cluster);
  const signatures = knownDenySignatures();
  const passed = new Set<string>();
  const failed: string[] = [];
  for (const { probe, controls, argv } of runs) {
    const result = await prove(probe, () => execBounded(ctx, argv, execTimeoutMs), {
      retry,
      denials,
      signatures,
      targetProvenUp: controls.length > 0 && controls.every((id) => passed.has(id)),
      sleep: (ms) => sleep(ms, undefined, { signal: ctx.signal }),
    });
    if (result.pass && probe.expect === 'allow') passed.add(probe.id);
    if (!result.pass) failed.push(probe.id);
    ctx.log(summary(result));
    // `outcome` stays short (results.json's probe table, JUnit, the Markdown summary show it); every
    // attempt's raw evidence rides along in the same record.
    const last = result.attempts.at(-1);
    ctx.evidence({
      type: 'probe',
      probe: { ...probe },
      passed: result.pass,
      outcome: toJson({
        class: last?.classification.outcome,
        signature: last?.classification.signature,
        reason: result.reason,
        attempts: result.attempts.length,
        durationMs: result.durationMs,
      }),
      argv,
      attempts: toJson(result.attempts),
    });
  }
  if (failed.length > 0) {
    throw new Error(`${failed.length} of ${runs.length} probe(s) failed: ${failed.join(', ')}`);
  }
};

export const ZERO_TRUST_TASKS = { [ZERO_TRUST_PROBES]: probeTask };
