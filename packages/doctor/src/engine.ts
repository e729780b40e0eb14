// Run checks over cluster sets and turn issues into positioned, suppressible findings.
import type { SchemaValidator } from '@meshproof/schemas';
import { allChecks } from './checks/index.ts';
import { ref } from './k8s.ts';
import { loadClusters } from './load.ts';
import { position } from './locate.ts';
import type { Check, ClusterSet, Finding, Issue } from './model.ts';
import { suppressionReason } from './suppress.ts';

export interface RunOptions {
  paths: string[];
  cwd: string;
  validator?: SchemaValidator;
  checks?: Check[];
}

/** A finding an object's suppression annotation accepts, with the reason it gives. */
export interface AcceptedFinding extends Finding {
  reason: string;
}

export interface Report {
  findings: Finding[];
  /** Suppressed findings: reported as accepted, never as errors, so the choice stays visible. */
  accepted: AcceptedFinding[];
  files: number;
  objects: number;
  clusters: number;
}

function toFinding(check: Check, issue: Issue): Finding | AcceptedFinding {
  const base = { id: check.id, severity: check.severity, message: issue.message, hint: check.hint };
  if ('file' in issue) {
    const { line, col } = issue.file.lines.linePos(issue.offset);
    return { ...base, file: issue.file.rel, line, col };
  }
  const { line, col } = position(issue.obj, issue.path);
  const finding = { ...base, file: issue.obj.file.rel, line, col, object: ref(issue.obj) };
  const reason = suppressionReason(issue.obj, check.id);
  return reason === undefined ? finding : { ...finding, reason };
}

export async function checkCluster(cluster: ClusterSet, checks: Check[], validator?: SchemaValidator) {
  const findings: Finding[] = [];
  const accepted: AcceptedFinding[] = [];
  for (const check of checks) {
    for (const issue of await check.run({ cluster, validator })) {
      const f = toFinding(check, issue);
      if ('reason' in f) accepted.push(f);
      else findings.push(f);
    }
  }
  return { findings, accepted };
}

const order = (a: Finding, b: Finding): number =>
  a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.id.localeCompare(b.id);

export async function runChecks(opts: RunOptions): Promise<Report> {
  const { clusters, files } = loadClusters(opts.paths, opts.cwd);
  const checks = opts.checks ?? allChecks;
  const findings: Finding[] = [];
  const accepted: AcceptedFinding[] = [];
  for (const cluster of clusters) {
    const result = await checkCluster(cluster, checks, opts.validator);
    findings.push(...result.findings);
    accepted.push(...result.accepted);
  }
  return {
    findings: findings.sort(order),
    accepted: accepted.sort(order),
    files,
    objects: clusters.reduce((n, c) => n + c.objects.length, 0),
    clusters: clusters.length,
  };
}
