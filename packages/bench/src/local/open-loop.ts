// Open-model load at a constant arrival rate, corrected for coordinated omission: request i is
// due at start + i/rate whatever happened to earlier requests, and its latency is measured from
// that intended time, so a stall anywhere (server, proxies, or this process) shows up in the
// latency of every request it delayed. Like k6's constant-arrival-rate executor, an iteration
// that finds no free connection (k6: no free VU) is dropped and counted, never queued silently;
// a run with drops or failed requests is invalid.

import { epochMs } from './clock.ts';
import { type Conn, openConn, type Reply, requestBytes } from './http-conn.ts';
import { startTicker } from './ticker.ts';

export type OpenLoopOptions = {
  port: number;
  path: string;
  /** Requests per second. */
  rate: number;
  /** Seconds measured, after warmupS seconds of the same load that are not recorded. */
  durationS: number;
  warmupS: number;
  /** Keep-alive connections opened before the first request (k6: preAllocatedVUs = maxVUs). */
  connections: number;
  /** How long to wait for requests still in flight after the last one is sent (k6: gracefulStop). */
  gracefulStopS?: number;
  /** Called once the schedule is fixed, with the epoch ms of the first measured request's intended send. */
  onStart?: (measuredStartEpochMs: number) => void;
};

export type OpenLoopResult = {
  /** Wall-clock time (ms since the epoch) of the first measured request's intended send. */
  startEpochMs: number;
  rate: number;
  scheduled: number;
  /** Per measured iteration i (intended send at startEpochMs + i × 1000/rate): */
  latencyMs: Float64Array; // from the intended send to the reply's last byte; NaN if not completed
  sendLagMs: Float64Array; // when it was sent (or dropped) − intended send
  status: Uint16Array; // HTTP status; 0 when dropped, failed at the transport, or unfinished
  dropped: Uint8Array; // 1: no free connection at the intended time
  errors: Map<string, number>;
  counts: { completed: number; ok: number; failed: number; dropped: number; unfinished: number };
  /** Connections opened and reopened (reopen = a connection died during the run). */
  connections: { opened: number; reopened: number };
  /** The warm-up iterations (same schedule, before startEpochMs), kept apart from the measurement. */
  warmup: Phase;
};

/** Per iteration of a phase: latency from the intended send (NaN if none), HTTP status (0: none), dropped. */
export type Phase = {
  startEpochMs: number;
  latencyMs: Float64Array;
  status: Uint16Array;
  dropped: Uint8Array;
};

export async function openLoop(opts: OpenLoopOptions): Promise<OpenLoopResult> {
  const intervalMs = 1000 / opts.rate;
  const warmup = Math.round(opts.warmupS * opts.rate);
  const scheduled = Math.round(opts.durationS * opts.rate);
  const total = warmup + scheduled;
  const request = requestBytes(opts.path, `127.0.0.1:${opts.port}`);

  const idle: Conn[] = [];
  const all = new Set<Conn>();
  let opened = 0;
  let reopened = 0;
  // Opened and primed up front, 32 at a time (a burst of new connections overflows listen backlogs
  // down the chain), so no connect or handshake is timed. Priming sends one request per connection:
  // afterwards it is open end to end (through a proxy pair: TLS handshake done). A connection whose
  // priming fails is tried once more; a target that still cannot answer fails the run, clearly.
  const primeOne = async (): Promise<Conn> => {
    let why = '';
    for (let attempt = 1; attempt <= 2; attempt++) {
      const c = await openConn(opts.port, request).catch((e: Error) => e);
      if (c instanceof Error) {
        why = c.message;
        continue;
      }
      const reply = await new Promise<Reply>((resolve) => c.send(resolve));
      if ('status' in reply && reply.status >= 200 && reply.status < 400 && c.alive) return c;
      c.close();
      why = 'status' in reply ? `HTTP ${reply.status}` : reply.error;
    }
    throw new Error(`127.0.0.1:${opts.port}${opts.path} does not answer: ${why}`);
  };
  try {
    for (let i = 0; i < opts.connections; i += 32) {
      const batch = await Promise.allSettled(
        Array.from({ length: Math.min(32, opts.connections - i) }, primeOne),
      );
      for (const b of batch) {
        if (b.status === 'rejected') continue;
        all.add(b.value);
        idle.push(b.value);
        opened++;
      }
      const failed = batch.find((b) => b.status === 'rejected');
      if (failed) throw failed.reason;
    }
  } catch (error) {
    for (const c of all) c.close();
    throw error;
  }

  const latencyMs = new Float64Array(scheduled).fill(Number.NaN);
  const sendLagMs = new Float64Array(scheduled).fill(Number.NaN);
  const status = new Uint16Array(scheduled);
  const dropped = new Uint8Array(scheduled);
  const errors = new Map<string, number>();
  const warm = {
    latencyMs: new Float64Array(warmup).fill(Number.NaN),
    status: new Uint16Array(warmup),
    dropped: new Uint8Array(warmup),
  };
  let inFlight = 0;
  let next = 0; // next tick to dispatch
  let startMs = 0; // set by the ticker once its thread is up
  const due = (i: number) => startMs + i * intervalMs;

  let finished: () => void = () => {};
  const allDone = new Promise<void>((resolve) => (finished = resolve));
  let ended = false;
  const checkDone = () => {
    if (ended && inFlight === 0) finished();
  };

  let stopped = false;
  const count = (error: string) => errors.set(error, (errors.get(error) ?? 0) + 1);
  const replace = (dead: Conn) => {
    all.delete(dead);
    if (stopped) return;
    openConn(opts.port, request).then(
      (c) => {
        reopened++;
        all.add(c);
        if (stopped) c.close();
        else idle.push(c);
      },
      (e: Error) => count(`reconnect: ${e.message}`),
    );
  };

  const dispatchDue = () => {
    const now = performance.now();
    while (next < total && due(next) <= now) {
      const i = next++;
      const k = i - warmup; // < 0: warm-up
      const conn = idle.pop();
      if (k >= 0) sendLagMs[k] = now - due(i);
      if (!conn) {
        if (k >= 0) dropped[k] = 1;
        else warm.dropped[i] = 1;
        continue;
      }
      inFlight++;
      conn.send((reply) => {
        if (stopped) return;
        inFlight--;
        if ('status' in reply) {
          const latency = performance.now() - due(i);
          if (k >= 0) {
            latencyMs[k] = latency;
            status[k] = reply.status;
          } else {
            warm.latencyMs[i] = latency;
            warm.status[i] = reply.status;
          }
        } else count(reply.error);
        if (conn.alive) idle.push(conn);
        else replace(conn);
        dispatchDue();
        checkDone();
      });
    }
  };

  const ticker = await startTicker(
    intervalMs,
    total,
    () => dispatchDue(),
    () => {
      dispatchDue();
      ended = true;
      checkDone();
    },
  );
  startMs = ticker.startMs;
  opts.onStart?.(epochMs(due(warmup)));
  const grace = (opts.gracefulStopS ?? 10) * 1000;
  let graceTimer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<void>((resolve) => {
    // Armed once the schedule has ended: the run's length plus the grace period.
    graceTimer = setTimeout(resolve, total * intervalMs + 10 + grace);
  });
  await Promise.race([allDone, timedOut]);
  clearTimeout(graceTimer);
  await ticker.stop();
  // Requests still in flight after the grace period are unfinished (and failed); close everything.
  stopped = true;
  const unfinished = inFlight;
  for (const c of all) c.close();

  let ok = 0;
  let completed = 0;
  let drops = 0;
  for (let k = 0; k < scheduled; k++) {
    if (dropped[k]) drops++;
    else if (!Number.isNaN(latencyMs[k] as number)) {
      completed++;
      if ((status[k] as number) >= 200 && (status[k] as number) < 400) ok++;
    }
  }
  return {
    startEpochMs: epochMs(due(warmup)),
    rate: opts.rate,
    scheduled,
    latencyMs,
    sendLagMs,
    status,
    dropped,
    errors,
    counts: { completed, ok, failed: scheduled - drops - ok, dropped: drops, unfinished },
    connections: { opened, reopened },
    warmup: { startEpochMs: epochMs(due(0)), ...warm },
  };
}
