// Executor of the zero-trust probe steps (steps.ts): sends each probe of one target from its caller's
// pod with the argv the plan shows, retries until the verdict holds, reports every attempt's evidence.
import { setTimeout as sleep } from 'node:timers/promises';
import { type DenyClass, knownDenySignatures, type L7DenySignature } from '@meshproof/render';
import type { RunResult, TaskContext, TaskExecutor } from '../registry.ts';
import type { HostTool, Json } from '../step.ts';
import type { Probe } from './matrix.ts';
import { type ProbeResult, type ProbeRetry, prove } from './prove.ts';
import { plannedProbe, ZERO_TRUST_PROBES } from './steps.ts';

const toJson = (value: unknown): Json => JSON.parse(JSON.stringify(value)) as Json;

type PlannedExec = Probe & { argv: [HostTool, ...string[]] };

const fail = (what: string): never => {
  throw new Error(`task ${ZERO_TRUST_PROBES}: ${what}`);
};

function readArgs(args: { [key: string]: Json }) {
  const probes = args.probes;
  if (!Array.isArray(probes) || probes.length === 0) fail('args.probes must be a non-empty list');
  for (const [i, p] of (probes as Json[]).entries()) {
    const argv = (p as { argv?: unknown })?.argv;
    if (!Array.isArray(argv) || argv[0] !== 'kubectl')
      fail(`args.probes[${i}].argv must be a kubectl command`);
  }
  const denials = args.denials as { classes?: unknown; l7?: unknown } | null;
  if (!denials || !Array.isArray(denials.classes) || !Array.isArray(denials.l7)) {
    fail("args.denials must be { classes, l7 } (the mesh's ZeroTrustFacts.denials)");
  }
  const retry = args.retry as unknown as ProbeRetry;
  for (const k of ['intervalMs', 'boundMs', 'consecutive', 'requestTimeoutMs'] as const) {
    if (!(typeof retry?.[k] === 'number' && retry[k] > 0)) fail(`args.retry.${k} must be a positive number`);
  }
  const execTimeoutMs = args.execTimeoutMs;
  if (!(typeof execTimeoutMs === 'number' && execTimeoutMs > 0))
    fail('args.execTimeoutMs must be a positive number');
  return {
    execTimeoutMs: execTimeoutMs as number,
    probes: probes as unknown as PlannedExec[],
    denials: denials as unknown as { classes: DenyClass[]; l7: L7DenySignature[] },
    retry,
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
  const { probes, denials, retry, execTimeoutMs } = readArgs(args);
  const signatures = knownDenySignatures();
  const passed = new Set<string>();
  const failed: string[] = [];
  for (const p of probes) {
    const result = await prove(p, () => execBounded(ctx, p.argv, execTimeoutMs), {
      retry,
      denials,
      signatures,
      targetProvenUp: p.controls.length > 0 && p.controls.every((id) => passed.has(id)),
      sleep: (ms) => sleep(ms, undefined, { signal: ctx.signal }),
    });
    if (result.pass && p.expect === 'allow') passed.add(p.id);
    if (!result.pass) failed.push(p.id);
    ctx.log(summary(result));
    // `outcome` stays short (results.json's probe table, JUnit, the Markdown summary show it); every
    // attempt's raw evidence rides along in the same record.
    const last = result.attempts.at(-1);
    ctx.evidence({
      type: 'probe',
      probe: { ...plannedProbe(p) },
      passed: result.pass,
      outcome: toJson({
        class: last?.classification.outcome,
        signature: last?.classification.signature,
        reason: result.reason,
        attempts: result.attempts.length,
        durationMs: result.durationMs,
      }),
      argv: p.argv,
      attempts: toJson(result.attempts),
    });
  }
  if (failed.length > 0) {
    throw new Error(`${failed.length} of ${probes.length} probe(s) failed: ${failed.join(', ')}`);
  }
};

export const ZERO_TRUST_TASKS = { [ZERO_TRUST_PROBES]: probeTask };
