/**
 * Milliseconds as a duration string every consumer here accepts (Gateway API caps each number at
 * five digits, so whole seconds are written as seconds).
 */
export function duration(ms: number): string {
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  if (ms < 100_000) return `${ms}ms`;
  return `${Math.ceil(ms / 1000)}s`;
}
