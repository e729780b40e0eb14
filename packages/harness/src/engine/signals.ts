// SIGINT/SIGTERM abort the run: the running step is killed, cleanup steps run, then the process
// exits (128 + signal number, as shells report it). A second signal while cleanup runs exits at once.
const CODE: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

export interface Interrupts {
  signal: AbortSignal;
  /** The exit code for the signal that interrupted the run, or undefined. */
  exitCode(): number | undefined;
  dispose(): void;
}

export function trapInterrupts(onSecond: (code: number) => void = (code) => process.exit(code)): Interrupts {
  const controller = new AbortController();
  const handler = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) onSecond(CODE[signal] ?? 1);
    else controller.abort(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    exitCode: () =>
      controller.signal.aborted ? CODE[controller.signal.reason as NodeJS.Signals] : undefined,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
