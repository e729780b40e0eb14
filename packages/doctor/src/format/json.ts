// Machine-readable report for scripts: the findings exactly as the engine produced them.
import type { Report } from '../engine.ts';

export const formatJson = (report: Report): string =>
  `${JSON.stringify({ files: report.files, objects: report.objects, clusters: report.clusters, findings: report.findings }, null, 2)}\n`;
