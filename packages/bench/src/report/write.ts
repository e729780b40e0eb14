// Writes the three report outputs atomically: nothing half-written if a later one fails.
import { rename, writeFile } from 'node:fs/promises';
import type { ClusterResults } from '../results/layout.ts';
import { combinedJson, renderHtml, renderMarkdown } from './html.ts';

export interface ReportPaths {
  html: string;
  markdown: string;
  json: string;
}

export const defaultReportPaths = (html: string): ReportPaths => {
  const base = html.replace(/\.html?$/i, '');
  return { html, markdown: `${base}.md`, json: `${base}.json` };
};

export async function writeReport(
  results: ClusterResults[],
  paths: ReportPaths,
  now = new Date(),
): Promise<void> {
  const outputs: Array<[string, string]> = [
    [paths.html, renderHtml(results, now)],
    [paths.markdown, renderMarkdown(results)],
    [paths.json, `${JSON.stringify(combinedJson(results, now), null, 2)}\n`],
  ];
  const tmp = outputs.map(([path]) => `${path}.tmp-${process.pid}`);
  await Promise.all(outputs.map(([, text], i) => writeFile(tmp[i] as string, text)));
  await Promise.all(outputs.map(([path], i) => rename(tmp[i] as string, path)));
}
