// The executor of a canary-rollout step (scenario.ts builds its args). It waits for the Canary to be
// ready, checks who serves, starts the in-pod sampler, publishes the release as a Git commit, asks
// Flux to fetch it, follows the Canary until it settles, then judges what the client saw and reports
// it as `canary` evidence. Every cluster call is an argv from the plan.
import { resolve } from 'node:path';
import type { TaskContext, TaskExecutor } from '../registry.ts';
import { fluxRevision } from '../source/flux-sync.ts';
import type { HostTool, Json } from '../step.ts';
import { analyseRollout, type RolloutAnalysis } from './analyse.ts';
import type { Fault } from './blast-radius.ts';
import { canaryPoll, READY_PHASES, rolloutOver } from './canary-status.ts';
import { rolloutEvidence } from './evidence.ts';
import { type Observation, observeRollout } from './observe.ts';
import type { CanaryPoll } from './timeline.ts';

export interface PublishRequest {
  repo: string;
  branch: string;
  files: Record<string, string | null>;
  message: string;
  signal?: AbortSignal;
}

/** Publishes a commit on the run's Git source and returns its revision (the source module's publishChange). */
export type Publish = (request: PublishRequest) => Promise<string>;

interface Args {
  scenario: 'promotion' | 'rollback';
  app: string;
  namespace: string;
  canaryVersion: string;
  previousVersion: string;
  expectPhase: 'Succeeded' | 'Failed';
  weighted: boolean;
  timeoutMs: number;
  timeoutWhy: string;
  readyWaitMs: number;
  pollMs: number;
  tailMs: number;
  fault: Fault | null;
  publish: { repo: string; branch: string; message: string; files: Record<string, string | null> };
  /** The client app sampling from inside the mesh, or null when no app calls this one. */
  client: string | null;
  argv: {
    reconcile: string[];
    sourceRevision: string[];
    pollCanary: string[];
    primaryVersion: string[];
    findPod?: string[];
    resetSampler?: string[];
    sampler?: string[];
    stopSampler?: string[];
  };
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

const fill = (argv: readonly string[], values: Record<string, string>): [HostTool, ...string[]] =>
  argv.map((a) => a.replace(/\{(\w+)\}/g, (m, k: string) => values[k] ?? m)) as [HostTool, ...string[]];

/** Runs argv and returns stdout; a failure throws with the command and what it printed. */
async function out(
  ctx: TaskContext,
  argv: readonly string[],
  values: Record<string, string> = {},
): Promise<string> {
  const filled = fill(argv, values);
  const r = await ctx.exec(filled);
  if (r.code !== 0) {
    throw new Error(
      `${filled.slice(0, 8).join(' ')}… failed (exit ${r.code}): ${(r.stderr || r.stdout).trim().slice(0, 300)}`,
    );
  }
  return r.stdout.trim();
}

async function pollCanary(ctx: TaskContext, a: Args): Promise<CanaryPoll> {
  return canaryPoll(await out(ctx, a.argv.pollCanary), Date.now());
}

async function waitFor<T>(
  ctx: TaskContext,
  what: string,
  ms: number,
  pollMs: number,
  get: () => Promise<T>,
  ok: (v: T) => boolean,
  describe: (v: T) => string,
): Promise<T> {
  const until = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < until && !ctx.signal.aborted) {
    last = await get();
    if (ok(last)) return last;
    await sleep(pollMs, ctx.signal);
  }
  throw new Error(
    `${what}: not within ${Math.round(ms / 1000)}s; last seen: ${last === undefined ? 'nothing' : describe(last)}`,
  );
}

export function rolloutTask(publish: Publish): TaskExecutor {
  return async (raw, ctx) => {
    const a = raw as unknown as Args;
    const problems: string[] = [];
    const ready = await waitFor(
      ctx,
      `Canary ${a.namespace}/${a.app} ready for a rollout (${READY_PHASES.join('|')})`,
      a.readyWaitMs,
      a.pollMs,
      () => pollCanary(ctx, a),
      (p) => (READY_PHASES as readonly string[]).includes(p.phase),
      (p) => `phase ${p.phase}`,
    );
    ctx.log(`Canary ${a.app} is ${ready.phase}`);
    const servingBefore = await out(ctx, a.argv.primaryVersion);
    if (servingBefore !== a.previousVersion) {
      throw new Error(
        `the primary serves ${servingBefore || 'nothing'}, not ${a.previousVersion}: the ${a.scenario} starts from a state an earlier step did not reach`,
      );
    }

    let pod = '';
    const { findPod, resetSampler, sampler, stopSampler } = a.argv;
    const sampling = a.client !== null && findPod && resetSampler && sampler && stopSampler;
    if (sampling) {
      pod = await out(ctx, findPod);
      if (!pod) throw new Error(`no running pod of ${a.client} to sample from`);
      await out(ctx, resetSampler, { pod });
    }
    let revision = '';
    const publishedAt: { t?: number; fetchedAt?: number } = {};
    const observation: Observation = await observeRollout({
      startSampler: sampling
        ? () => ctx.exec(fill(sampler, { pod }))
        : async () => ({ code: 0, stdout: '', stderr: '' }),
      stopSampler: async () => {
        if (sampling) await out(ctx, stopSampler, { pod });
      },
      begin: async () => {
        revision = await publish({
          ...a.publish,
          repo: resolve(ctx.root, a.publish.repo),
          signal: ctx.signal,
        });
        publishedAt.t = Date.now();
        ctx.log(`published ${revision.slice(0, 12)} on ${a.publish.branch}: ${a.publish.message}`);
        await out(ctx, a.argv.reconcile, { now: new Date().toISOString() });
        const seen = await waitFor(
          ctx,
          `Flux fetching revision ${revision.slice(0, 12)}`,
          120_000,
          a.pollMs,
          () => out(ctx, a.argv.sourceRevision),
          (rev) => rev === fluxRevision(a.publish.branch, revision),
          (rev) => rev || 'no artifact',
        );
        publishedAt.fetchedAt = Date.now();
        ctx.log(`Flux has ${seen}`);
      },
      poll: () => pollCanary(ctx, a),
      onPoll: (p) =>
        ctx.log(`${p.phase} weight ${p.weight}${p.failedChecks ? ` failed checks ${p.failedChecks}` : ''}`),
      done: (_p, all) => rolloutOver(all, a.tailMs),
      pollMs: a.pollMs,
      timeoutMs: a.timeoutMs,
      signal: ctx.signal,
    });

    const last = observation.polls.at(-1);
    if (!observation.settled) {
      problems.push(`the Canary did not settle within ${a.timeoutWhy}; last phase ${last?.phase ?? 'none'}`);
    } else if (last?.phase !== a.expectPhase) {
      problems.push(`the Canary ended ${last?.phase}, expected ${a.expectPhase}`);
    }
    const servingAfter = await out(ctx, a.argv.primaryVersion);
    const expectedAfter = a.expectPhase === 'Succeeded' ? a.canaryVersion : a.previousVersion;
    if (servingAfter !== expectedAfter)
      problems.push(`the primary serves ${servingAfter}, expected ${expectedAfter}`);

    const analysis: RolloutAnalysis | undefined = sampling
      ? analyseRollout(observation, {
          canaryVersion: a.canaryVersion,
          ...(a.fault ? { fault: a.fault } : {}),
        })
      : undefined;
    if (analysis) problems.push(...verdicts(a, analysis, observation));
    ctx.evidence(
      rolloutEvidence({
        scenario: a.scenario,
        app: a.app,
        canaryVersion: a.canaryVersion,
        previousVersion: a.previousVersion,
        revision,
        publishedAt: publishedAt.t ?? null,
        fetchedAt: publishedAt.fetchedAt ?? null,
        polls: observation.polls,
        servingBefore,
        servingAfter,
        analysis: analysis ?? null,
        fault: a.fault,
        problems,
      }) as unknown as { type: string; [key: string]: Json },
    );
    if (problems.length > 0) throw new Error(problems.join('; '));
  };
}

/** What the client saw that fails the scenario. */
export function verdicts(
  a: Pick<Args, 'scenario' | 'previousVersion' | 'canaryVersion'>,
  r: RolloutAnalysis,
  obs: Observation,
): string[] {
  const problems: string[] = [];
  const lost = r.totals.errors + r.totals.clientFailures;
  if (a.scenario === 'promotion') {
    problems.push(...r.split.problems.map((p) => `split: ${p}`));
    if (lost > 0) {
      problems.push(
        `lost requests during a healthy promotion: ${r.totals.errors} backend calls failed, ${r.totals.clientFailures} fanout requests got no answer`,
      );
    }
  } else {
    // The primary keeps the previous version: nothing but the two versions answers, and after Failed only the previous one.
    const failedAt = obs.polls.find((p) => p.phase === 'Failed')?.t ?? Number.POSITIVE_INFINITY;
    const strangers = new Set(
      obs.sampler.samples
        .filter(
          (s) => s.version !== undefined && s.version !== a.previousVersion && s.version !== a.canaryVersion,
        )
        .map((s) => s.version),
    );
    if (strangers.size > 0)
      problems.push(
        `versions other than ${a.previousVersion}/${a.canaryVersion} answered: ${[...strangers].join(', ')}`,
      );
    const primaryErrors = obs.sampler.samples.filter((s) => !s.ok && s.version === a.previousVersion).length;
    if (primaryErrors > 0)
      problems.push(`the primary (${a.previousVersion}) answered ${primaryErrors} calls with an error`);
    const afterFail = obs.sampler.samples.filter(
      (s) => s.t > failedAt + 5000 && s.version === a.canaryVersion,
    ).length;
    if (afterFail > 0)
      problems.push(`${afterFail} answers from ${a.canaryVersion} more than 5s after the rollback`);
    const blast = r.blast?.total;
    // Worse than any retry model predicts: more traffic reached the faulty canary than its weight.
    if (blast && blast.samples > 0 && blast.ci.low > blast.predicted.high) {
      problems.push(
        `blast radius ${(blast.rate * 100).toFixed(2)} % (95 % CI from ${(blast.ci.low * 100).toFixed(2)} %) is above the ${(blast.predicted.high * 100).toFixed(2)} % the weights predict`,
      );
    }
  }
  return problems;
}
