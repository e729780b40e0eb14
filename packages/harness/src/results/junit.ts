// JUnit XML for CI test reporters: one suite per cluster (and one for run-wide steps), one test
// case per step and per probe.
import type { Results } from './results.ts';

// XML 1.0 has no place for most control characters (they turn up in tool output): drop them.
const xmlChar = (c: string) => {
  const code = c.charCodeAt(0);
  return code >= 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
};

const esc = (s: string) =>
  [...s]
    .filter(xmlChar)
    .join('')
    .replace(
      /[<>&"']/g,
      (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string,
    );

interface Case {
  name: string;
  classname: string;
  seconds: number;
  failure?: string;
  skipped?: string;
}

const caseXml = (c: Case) => {
  const open = `    <testcase name="${esc(c.name)}" classname="${esc(c.classname)}" time="${c.seconds.toFixed(3)}"`;
  if (c.failure !== undefined)
    return `${open}>\n      <failure message="${esc(c.failure)}"/>\n    </testcase>`;
  if (c.skipped !== undefined)
    return `${open}>\n      <skipped message="${esc(c.skipped)}"/>\n    </testcase>`;
  return `${open}/>`;
};

export function junitXml(r: Results): string {
  const suites = [null, ...r.clusters.map((c) => c.name)].map((cluster) => {
    const classname = `meshproof.e2e.${cluster ?? 'run'}`;
    const cases: Case[] = [
      ...r.steps
        .filter((s) => s.cluster === cluster)
        .map((s) => ({
          name: `${s.id}: ${s.title}`,
          classname,
          seconds: s.durationMs / 1000,
          ...(s.status === 'skipped' ? { skipped: s.reason ?? 'skipped' } : {}),
          ...(s.status !== 'passed' && s.status !== 'skipped'
            ? { failure: `${s.status}: ${s.reason ?? ''}` }
            : {}),
        })),
      ...r.probes
        .filter((p) => p.cluster === cluster)
        .map((p) => ({
          name: `probe ${p.probe.from} → ${p.probe.to} ${p.probe.method} ${p.probe.path} expect ${p.probe.expect} [${p.probe.caller}]`,
          classname,
          seconds: 0,
          ...(p.status === 'not run' ? { skipped: 'not run' } : {}),
          ...(p.status === 'failed' ? { failure: JSON.stringify(p.outcome) } : {}),
        })),
    ];
    const failures = cases.filter((c) => c.failure !== undefined).length;
    const skipped = cases.filter((c) => c.skipped !== undefined).length;
    const time = cases.reduce((t, c) => t + c.seconds, 0);
    return `  <testsuite name="${esc(cluster ?? 'run')}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time.toFixed(3)}">\n${cases.map(caseXml).join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="meshproof e2e ${esc(r.runId)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
