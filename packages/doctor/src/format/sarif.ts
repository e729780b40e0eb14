// SARIF 2.1.0 for GitHub code scanning: one rule per check, results with repo-relative locations.
import { readFileSync } from 'node:fs';
import type { Report } from '../engine.ts';
import type { Check, Severity } from '../model.ts';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

const version = (): string =>
  (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
    .version;

export function toSarif(report: Report, checks: Check[]) {
  const index = new Map(checks.map((c, i) => [c.id, i]));
  return {
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'meshproof',
            version: version(),
            rules: checks.map((c) => ({
              id: c.id,
              name: c.title.replace(/[^A-Za-z0-9]+/g, ' ').trim(),
              shortDescription: { text: c.title },
              fullDescription: { text: c.description },
              help: { text: c.hint },
              defaultConfiguration: { level: LEVEL[c.severity] },
            })),
          },
        },
        // Accepted findings stay in the log as suppressed results (in-source, with the annotation's reason).
        results: [...report.findings, ...report.accepted].map((f) => ({
          ruleId: f.id,
          ...('reason' in f ? { suppressions: [{ kind: 'inSource', justification: f.reason }] } : {}),
          ...(index.has(f.id) ? { ruleIndex: index.get(f.id) } : {}),
          level: LEVEL[f.severity],
          message: { text: `${f.message}${f.object ? ` [${f.object}]` : ''}. ${f.hint}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(f.file), uriBaseId: '%SRCROOT%' },
                region: { startLine: f.line, startColumn: f.col },
              },
            },
          ],
        })),
      },
    ],
  };
}

export const formatSarif = (report: Report, checks: Check[]): string =>
  `${JSON.stringify(toSarif(report, checks), null, 2)}\n`;
