// Run checks over cluster sets and turn issues into positioned, suppressible findings.
import type { SchemaValidator } from '@meshproof/schemas';
import { allChecks } from './checks/index.ts';
import { ref } from './k8s.ts';
import { loadClusters } from './load.ts';
import { position } from './locate.ts';
import type { Check, ClusterSet, Finding, Issue } from './model.ts';
import { isSuppressed } from './suppress.ts';

export interface RunOptions {
  paths: string[];
  cwd: string;
  validator?: SchemaValidator;
  checks?: Check[];
}

export interface Report {
  findings: Finding[];
  files: number;
  objects: number;
  clusters: number;
}

function toFinding(check: Check, issue: Issue): Finding | undefined {
  const base = { id: check.id, severity: check.severity, message: issue.message, hint: check.hint };
  if ('file' in issue) {
    const { line, col } = issue.file.lines.linePos(issue.offset);
    return { ...base, file: issue.file.rel, line, col };
  }
  if (isSuppressed(issue.obj, check.id)) return undefined;
  const { line, col } = position(issue.obj, issue.path);
  return { ...base, file: issue.obj.file.rel, line, col, object: ref(issue.obj) };
}

export async function checkCluster(cluster: ClusterSet, checks: Check[], validator?: SchemaValidator) {
  const findings: Finding[] = [];
  for (const check of checks) {
    for (const issue of await check.run({ cluster, validator })) {
      const f = toFinding(check, issue);
      if (f) findings.push(f);
    }
  }
  return findings;
}

const order = (a: Finding, b: Finding): number =>
  a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.id.localeCompare(b.id);

export async function runChecks(opts: RunOptions): Promise<Report> {
  const { clusters, files } = loadClusters(opts.paths, opts.cwd);
  const checks = opts.checks ?? allChecks;
  const findings: Finding[] = [];
  for (const cluster of clusters) findings.push(...(await checkCluster(cluster, checks, opts.validator)));
  return {
    findings: findings.sort(order),
    files,
    objects: clusters.reduce((n, c) => n + c.objects.length, 0),
    clusters: clusters.length,
  };
}
