// The performance clock on the wall clock's epoch. performance.timeOrigin is read once at start-up
// and can sit tens of ms away from Date.now() on a busy machine, which matters when times are
// compared across processes or written as timestamps; so the offset to Date.now() is measured
// once per process instead (to about 1 ms: Date.now()'s resolution).
let offset: number | undefined;

function measure(): number {
  const xs = Array.from({ length: 9 }, () => Date.now() - performance.now()).sort((a, b) => a - b);
  return xs[4] as number;
}

/** Epoch milliseconds of a performance.now() reading of this process. */
export function epochMs(perfMs: number): number {
  offset ??= measure();
  return perfMs + offset;
}
