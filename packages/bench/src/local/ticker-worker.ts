// Worker side of the ticker: sleeps on Atomics.wait, which takes sub-millisecond timeouts (the
// main thread's timers have 1 ms granularity), and posts the index of each tick when it is due.
import { parentPort } from 'node:worker_threads';

type Plan = {
  hr0: bigint;
  perf0: number;
  startMs: number;
  intervalMs: number;
  count: number;
  stop: Int32Array;
};

parentPort?.once('message', ({ hr0, perf0, startMs, intervalMs, count, stop }: Plan) => {
  // The main thread's performance clock, read here through the monotonic clock both threads share.
  const now = () => perf0 + Number(process.hrtime.bigint() - hr0) / 1e6;
  for (let i = 0; i < count && Atomics.load(stop, 0) === 0; i++) {
    const due = startMs + i * intervalMs;
    for (let left = due - now(); left > 0 && Atomics.load(stop, 0) === 0; left = due - now()) {
      Atomics.wait(stop, 0, 0, left);
    }
    parentPort?.postMessage(i);
  }
  parentPort?.postMessage(-1);
});
