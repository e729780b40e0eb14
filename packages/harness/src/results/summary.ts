// The Markdown summary (also the GitHub job summary): per cluster pass/fail, what failed and why,
// the probe table with each outcome, and each canary scenario's per-step table.
import { canaryMarkdown } from '../canary/evidence.ts';
import type { Json } from '../step.ts';
import type { Results } from './results.ts';

const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');
const secs = (ms: number) => `${Math.round(ms / 1000)}s`;

export function markdownSummary(r: Results): string {
  const lines = [
    `## meshproof e2e ${r.passed ? 'passed' : 'FAILED'} (run ${r.runId}, ${secs(r.durationMs)})`,
    '',
    ...(r.interrupted ? [`Interrupted by ${r.interrupted}; cleanup ran.`, ''] : []),
    '| cluster | mesh | result |',
    '| --- | --- | --- |',
    ...r.clusters.map((c) => `| ${c.name} | ${c.mesh} | ${c.passed ? 'passed' : 'FAILED'} |`),
  ];
  const bad = r.steps.filter(
    (s) => s.status === 'failed' || s.status === 'timed-out' || s.status === 'interrupted',
  );
  if (bad.length > 0) {
    lines.push('', '### Failed steps', '', '| step | status | duration | why |', '| --- | --- | --- | --- |');
    for (const s of bad)
      lines.push(`| ${s.id} | ${s.status} | ${secs(s.durationMs)} | ${cell(s.reason ?? '')} |`);
  }
  if (r.probes.length > 0) {
    lines.push(
      '',
      '### Probes',
      '',
      '| cluster | from → to | request | caller | expect | result | outcome |',
      '| --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const p of r.probes)
      lines.push(
        `| ${p.cluster} | ${p.probe.from} → ${p.probe.to} | ${p.probe.method} ${cell(p.probe.path)} | ${p.probe.caller} | ${p.probe.expect} | ${p.status} | ${cell(p.outcome === null ? '' : JSON.stringify(p.outcome))} |`,
      );
  }
  if (r.headerRoutes.length > 0) {
    lines.push(
      '',
      '### Header routes',
      '',
      '| cluster | step | result | with the header | without | why |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    const counts = (c: Json | undefined) =>
      c && typeof c === 'object' && !Array.isArray(c)
        ? Object.entries(c)
            .map(([v, n]) => `${v} ${String(n)}`)
            .join(', ')
        : '';
    for (const h of r.headerRoutes)
      lines.push(
        `| ${h.cluster} | ${h.step} | ${h.status} | ${counts(h.evidence?.withHeader)} | ${counts(h.evidence?.withoutHeader)} | ${cell(h.reason ?? '')} |`,
      );
  }
  if (r.canaries.length > 0) {
    lines.push('', '### Canaries', '', `Charts: \`.e2e/${r.runId}/canary.html\`.`);
    for (const c of r.canaries) lines.push('', canaryMarkdown(c.cluster, c.evidence).trimEnd());
  }
  lines.push(
    '',
    `Steps: ${r.steps.filter((s) => s.status === 'passed').length} passed, ${bad.length} failed, ${r.steps.filter((s) => s.status === 'skipped').length} skipped. Logs and diagnostics: \`.e2e/${r.runId}/\`.`,
  );
  return `${lines.join('\n')}\n`;
}
