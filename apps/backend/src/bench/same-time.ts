// The bench's robust measure: the bare server and the one compared with it run AT THE SAME TIME,
// both pinned to the same CPU, each driven by its own wrk on another CPU. The scheduler splits
// that CPU between them, so whatever the machine does in a window (its speed drifting, other work
// taking time) hits both alike, and their server CPU per request over the same window compares
// like with like. Alternating rounds compare windows seconds apart, which on a drifting VM differ
// by more than the difference being measured.
import type { Pair, RoundFigures } from './pairs.ts';
import type { WrkResult } from './wrk.ts';
import { runWrk } from './wrk.ts';

export type Side = { pid: number; url: URL };
export type WindowSide = RoundFigures & {
  /** CPU seconds per wall second of the window: about 0.5 each when both shared one CPU fully. */
  cpuShare: number;
  wrk: WrkResult;
};
export type WindowResult = { bare: WindowSide; app: WindowSide; wallSeconds: number };

export type WindowRun = {
  seconds: number;
  connections: number;
  /** CPU both wrk processes are pinned to; undefined leaves them to the scheduler. */
  generatorCpu: number | undefined;
  cpuSecondsOf: (pid: number) => number;
  /** Which wrk is started first: alternated by the caller, so neither side always leads. */
  bareFirst: boolean;
};

/** One window: both servers loaded at once, their CPU time read before and after both wrk runs. */
export async function sameTimeWindow(bare: Side, app: Side, run: WindowRun): Promise<WindowResult> {
  const wrkOf = (side: Side) =>
    runWrk({ url: side.url, seconds: run.seconds, connections: run.connections, cpu: run.generatorCpu });
  const bareCpu = run.cpuSecondsOf(bare.pid);
  const appCpu = run.cpuSecondsOf(app.pid);
  const t0 = performance.now();
  const [first, second] = run.bareFirst ? [bare, app] : [app, bare];
  const [firstResult, secondResult] = await Promise.all([wrkOf(first), wrkOf(second)]);
  const wallSeconds = (performance.now() - t0) / 1000;
  const [bareWrk, appWrk] = run.bareFirst ? [firstResult, secondResult] : [secondResult, firstResult];
  const side = (pid: number, cpuBefore: number, wrk: WrkResult): WindowSide => {
    const cpu = run.cpuSecondsOf(pid) - cpuBefore;
    return { rps: wrk.rps, cpuUsPerRequest: (cpu * 1e6) / wrk.requests, cpuShare: cpu / wallSeconds, wrk };
  };
  return { bare: side(bare.pid, bareCpu, bareWrk), app: side(app.pid, appCpu, appWrk), wallSeconds };
}

export const asPair = (w: WindowResult): Pair => ({
  bare: { rps: w.bare.rps, cpuUsPerRequest: w.bare.cpuUsPerRequest },
  app: { rps: w.app.rps, cpuUsPerRequest: w.app.cpuUsPerRequest },
});
