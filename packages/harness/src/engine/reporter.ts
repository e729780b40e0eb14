// Progress while a run goes: on a terminal, finished steps as lines plus one live line for the
// running step with its elapsed time; in CI (no TTY, or CI set) plain lines only.
import type { Step } from '../step.ts';
import type { Reporter } from './engine.ts';
import type { StepRecord } from './record.ts';

const MARK: Record<StepRecord['status'], string> = {
  passed: 'ok  ',
  failed: 'FAIL',
  'timed-out': 'TIME',
  interrupted: 'INT ',
  skipped: 'skip',
};

const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

export interface ReporterStream {
  write(chunk: string): unknown;
}

/** `label` names the command in the first and last line (`meshproof e2e`, `meshproof bench`). */
export function createReporter(out: ReporterStream, live: boolean, label = 'meshproof e2e'): Reporter {
  let current: { step: Step; since: number; last: string } | undefined;
  let ticker: NodeJS.Timeout | undefined;
  const redraw = () => {
    if (!current) return;
    const text = `  ..   ${current.step.id} ${secs(Date.now() - current.since)}  ${current.last}`.slice(
      0,
      160,
    );
    out.write(`\r\x1b[K${text}`);
  };
  const clear = () => {
    if (live) out.write('\r\x1b[K');
  };
  return {
    runStarted(plan) {
      out.write(`${label}: run ${plan.runId}, ${plan.steps.length} steps, results in ${plan.runDir}/\n`);
    },
    stepStarted(step) {
      current = { step, since: Date.now(), last: '' };
      if (live) {
        redraw();
        ticker = setInterval(redraw, 1000);
      } else out.write(`  ->   ${step.id}: ${step.title}\n`);
    },
    stepLine(_step, line) {
      if (current) current.last = line.trim();
    },
    stepFinished(step, record) {
      clearInterval(ticker);
      clear();
      current = undefined;
      // The first line only: the full reason is in results.json and the summary.
      const first = record.reason?.split('\n')[0];
      const more = (record.reason?.split('\n').length ?? 0) > 1 ? ' (…)' : '';
      const why = first && record.status !== 'passed' ? ` — ${first}${more}` : '';
      out.write(`  ${MARK[record.status]} ${step.id} (${secs(record.durationMs)})${why}\n`);
    },
    runFinished(record) {
      clearInterval(ticker);
      const count = (s: StepRecord['status']) => record.steps.filter((r) => r.status === s).length;
      out.write(
        `${label}: ${count('passed')} passed, ${count('failed') + count('timed-out')} failed, ${count('skipped')} skipped${record.interrupted ? `, interrupted by ${record.interrupted}` : ''} in ${secs(record.durationMs)}\n`,
      );
    },
  };
}

/** Live output only on a terminal outside CI. */
export const wantsLive = (isTty: boolean, env: NodeJS.ProcessEnv) => isTty && !env.CI;
