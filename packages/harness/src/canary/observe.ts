// Watches one rollout: the in-container sampler runs the whole time while the Canary's status is
// polled until it settles, then the sampler is stopped and both streams are returned. The kind
// runner plugs in `kubectl exec` and `kubectl get canary`; the local run plugs in `docker exec` and
// the weighted proxy's state, so both judge what they saw with the very same code.
import { readSamplerOutput, type SamplerOutput } from './sampler.ts';
import type { CanaryPoll } from './timeline.ts';

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Observation {
  polls: CanaryPoll[];
  sampler: SamplerOutput;
  /** The last poll matched `done` (false: timed out). */
  settled: boolean;
}

export interface ObserveOptions {
  /** Starts the sampler; resolves when it exits. */
  startSampler(): Promise<ExecResult>;
  /** Makes the sampler exit (it finishes its current request first). */
  stopSampler(): Promise<void>;
  poll(): Promise<CanaryPoll>;
  /** The rollout is over (e.g. phase Succeeded or Failed after it started). */
  done(p: CanaryPoll, all: readonly CanaryPoll[]): boolean;
  pollMs: number;
  timeoutMs: number;
  /** Called once the sampler runs: publish the new version, or start stepping the weights. */
  begin?(): Promise<void>;
  onPoll?(p: CanaryPoll): void;
  signal?: AbortSignal;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

export async function observeRollout(o: ObserveOptions): Promise<Observation> {
  const startedAt = Date.now();
  let samplerExit: ExecResult | undefined;
  const sampler = o.startSampler().then((r) => {
    samplerExit = r;
    return r;
  });
  const polls: CanaryPoll[] = [];
  let settled = false;
  try {
    await o.begin?.();
    while (Date.now() - startedAt < o.timeoutMs && !o.signal?.aborted) {
      if (samplerExit) {
        throw new Error(
          `the sampler exited early (code ${samplerExit.code}): ${samplerExit.stderr.trim().slice(0, 300)}`,
        );
      }
      const p = await o.poll();
      polls.push(p);
      o.onPoll?.(p);
      if (o.done(p, polls)) {
        settled = true;
        break;
      }
      await sleep(o.pollMs, o.signal);
    }
  } finally {
    await o.stopSampler().catch(() => {});
  }
  const exit = await sampler;
  if (exit.code !== 0)
    throw new Error(`the sampler failed (code ${exit.code}): ${exit.stderr.trim().slice(0, 300)}`);
  return { polls, sampler: readSamplerOutput(exit.stdout, startedAt), settled };
}
