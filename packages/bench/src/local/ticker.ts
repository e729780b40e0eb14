// A precise metronome for the open-model load generator: calls onTick(i) when tick i is due
// (tick i is due at start + i × intervalMs on this thread's performance clock, where start is a
// few ms after the worker is up). A worker thread does the waiting, so the main thread stays free
// for the sockets. onEnd runs after the last tick.
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

export type Ticker = { startMs: number; stop(): Promise<void> };

export async function startTicker(
  intervalMs: number,
  count: number,
  onTick: (i: number) => void,
  onEnd: () => void,
): Promise<Ticker> {
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL('./ticker-worker.ts', import.meta.url));
  let failure: Error | undefined;
  worker.on('error', (e) => {
    failure = e;
    onEnd();
  });
  worker.on('message', (i: number) => (i < 0 ? onEnd() : onTick(i)));
  await once(worker, 'online');
  const hr0 = process.hrtime.bigint();
  const perf0 = performance.now();
  const startMs = perf0 + 10;
  worker.postMessage({ hr0, perf0, startMs, intervalMs, count, stop });
  return {
    startMs,
    async stop() {
      Atomics.store(stop, 0, 1);
      Atomics.notify(stop, 0);
      await worker.terminate();
      if (failure) throw failure;
    },
  };
}
