// Writes results.json, junit.xml, summary.md (and canary.html when canaries ran) into the run folder (each atomically: a reader never
// sees half a file) and appends the summary to $GITHUB_STEP_SUMMARY when set.
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { canaryReportHtml } from '../canary/report-html.ts';
import type { RunRecord } from '../engine/record.ts';
import type { Plan } from '../step.ts';
import { junitXml } from './junit.ts';
import { buildResults, type Results } from './results.ts';
import { markdownSummary } from './summary.ts';

const atomic = (file: string, text: string) => {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
};

export function writeResults(
  root: string,
  plan: Plan,
  run: RunRecord,
  env: NodeJS.ProcessEnv = process.env,
): Results {
  const results = buildResults(plan, run);
  const dir = resolve(root, plan.runDir);
  mkdirSync(dir, { recursive: true });
  atomic(join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  atomic(join(dir, 'junit.xml'), junitXml(results));
  const summary = markdownSummary(results);
  atomic(join(dir, 'summary.md'), summary);
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, summary);
  if (results.canaries.length > 0)
    atomic(join(dir, 'canary.html'), canaryReportHtml(results.runId, results.canaries));
  return results;
}
