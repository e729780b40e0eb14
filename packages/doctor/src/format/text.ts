// Human-readable report: one `file:line:col` line per finding (editors and terminals link it), then
// the findings accepted by a suppression annotation, with the reason it gives.
import type { Report } from '../engine.ts';

export function formatText(report: Report): string {
  const lines = report.findings.map(
    (f) =>
      `${f.file}:${f.line}:${f.col}: ${f.severity} ${f.id} ${f.message}${f.object ? ` [${f.object}]` : ''}\n    hint: ${f.hint}`,
  );
  for (const a of report.accepted)
    lines.push(
      `${a.file}:${a.line}:${a.col}: accepted ${a.id} ${a.message}${a.object ? ` [${a.object}]` : ''}\n    reason: ${a.reason}`,
    );
  const count = (s: string) => report.findings.filter((f) => f.severity === s).length;
  lines.push(
    `${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} info, ${report.accepted.length} accepted in ${report.files} file(s), ${report.objects} object(s), ${report.clusters} cluster set(s)`,
  );
  return `${lines.join('\n')}\n`;
}
