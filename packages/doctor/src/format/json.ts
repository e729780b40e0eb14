// Machine-readable report for scripts: the findings exactly as the engine produced them, and the
// accepted (suppressed) ones with their reasons.
import type { Report } from '../engine.ts';

export const formatJson = (report: Report): string =>
  `${JSON.stringify(
    {
      files: report.files,
      objects: report.objects,
      clusters: report.clusters,
      findings: report.findings,
      accepted: report.accepted,
    },
    null,
    2,
  )}\n`;
