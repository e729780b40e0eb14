// Run checks over cluster sets and turn issues into positioned, suppressible findings.
import type { SchemaValidator } from '@meshproof/schemas';
import { ref } from './k8s.ts';
import { loadClusters } from './load.ts';
import { position } from './locate.ts';
import type { Check, CheckContext, ClusterSet, Finding, Issue, PodSecurityLevel, Severity } from './model.ts';
import { suppressionReason } from './suppress.ts';

export interface RunOptions {
  paths: string[];
  cwd: string;
  validator?: SchemaValidator;
  checks?: Check[];
  /** The input is the whole tree (`--complete`): references missing from it are errors. */
  complete?: boolean;
  /** Pod Security level the tree runs at (default restricted); see CheckContext.podSecurity. */
  podSecurity?: PodSecurityLevel;
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

const RANK: Severity[] = ['info', 'warning', 'error'];
const atMost = (a: Severity, b: Severity): Severity => (RANK.indexOf(a) <= RANK.indexOf(b) ? a : b);

const ABSENT_NOTE: Record<ClusterSet['scope'], string> = {
  complete: '',
  partial:
    ' (not among the checked files; check the whole clusters/<name>/ folder, or pass --complete, to have this confirmed)',
  files:
    ' (not among the checked files, which are in no clusters/<name>/ folder; it may exist elsewhere — pass --complete if these files are the whole tree)',
};

// What a missing object means depends on whether the doctor saw the whole tree: an error in a complete
// set, a warning in part of a cluster folder, info for loose files.
function severityOf(check: Check, issue: Issue, cluster: ClusterSet): Severity {
  if ('obj' in issue && issue.outside)
    return atMost(check.severity, cluster.scope === 'files' ? 'info' : 'warning');
  if (!('obj' in issue) || !issue.absent || cluster.scope === 'complete') return check.severity;
  return atMost(check.severity, cluster.scope === 'partial' ? 'warning' : 'info');
}

function toFinding(check: Check, issue: Issue, cluster: ClusterSet): Finding | AcceptedFinding {
  const severity = severityOf(check, issue, cluster);
  const note = 'obj' in issue && issue.absent ? ABSENT_NOTE[cluster.scope] : '';
  const base = { id: check.id, severity, message: `${issue.message}${note}`, hint: check.hint };
  if ('file' in issue) {
    const { line, col } = issue.file.lines.linePos(issue.offset);
    return { ...base, file: issue.file.rel, line, col };
  }
  const { line, col } = position(issue.obj, issue.path);
  const finding = { ...base, file: issue.obj.file.rel, line, col, object: ref(issue.obj) };
  const reason = suppressionReason(issue.obj, check.id);
  return reason === undefined ? finding : { ...finding, reason };
}

// A check that throws on input it did not expect must not take the report down with it: the failure
// becomes a finding of that check, at the first file of the set, and the other checks still run.
async function issuesOf(check: Check, ctx: CheckContext): Promise<Issue[]> {
  try {
    return await check.run(ctx);
  } catch (error) {
    const first = ctx.cluster.objects[0]?.file ?? ctx.cluster.problems[0]?.file;
    if (!first) return [];
    return [
      {
        file: first,
        offset: 0,
        message: `${check.id} could not run on this input (${(error as Error).message}); a malformed object is the likely cause`,
      },
    ];
  }
}

export async function checkCluster(
  cluster: ClusterSet,
  checks: Check[],
  validator?: SchemaValidator,
  podSecurity: PodSecurityLevel = 'restricted',
) {
  const findings: Finding[] = [];
  const accepted: AcceptedFinding[] = [];
  const issues: [Check, Issue][] = [];
  for (const check of checks)
    for (const issue of await issuesOf(check, { cluster, validator, podSecurity }))
      issues.push([check, issue]);
  // Positions come from each document's syntax tree, rebuilt on demand: grouping the issues by
  // document builds each tree once.
  const docOrder = (i: Issue): number => ('obj' in i ? i.obj.doc.start : -1);
  const fileOf = (i: Issue): string => ('obj' in i ? i.obj.file.abs : i.file.abs);
  issues.sort(([, a], [, b]) => fileOf(a).localeCompare(fileOf(b)) || docOrder(a) - docOrder(b));
  for (const [check, issue] of issues) {
    const f = toFinding(check, issue, cluster);
    if ('reason' in f) accepted.push(f);
    else findings.push(f);
  }
  return { findings, accepted };
}

const order = (a: Finding, b: Finding): number =>
  a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.id.localeCompare(b.id);

export async function runChecks(opts: RunOptions): Promise<Report> {
  const { clusters, files } = loadClusters(opts.paths, opts.cwd, { complete: opts.complete });
  // Imported only when needed, so a caller that names its checks (each check module's fixture test)
  // does not load every check module.
  const checks = opts.checks ?? (await import('./checks/index.ts')).allChecks;
  const findings: Finding[] = [];
  const accepted: AcceptedFinding[] = [];
  for (const cluster of clusters) {
    const result = await checkCluster(cluster, checks, opts.validator, opts.podSecurity);
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
