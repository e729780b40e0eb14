// A standalone benchmark plan (harness Plan) for clusters that already run: the bench steps of each cluster,
// validated like any runner plan. Inside `./dev e2e` the runner appends benchSteps() to a cluster's steps.
import { type ClusterPlan, type Plan, validatePlan } from '@meshproof/harness';
import type { Platform } from '@meshproof/spec';
import { runId as newRunId, type Profile } from '../results/layout.ts';
import { benchSteps } from './steps.ts';
import { BENCH_TASKS } from './tasks.ts';

export interface BenchPlanOptions {
  profile: Profile;
  clusters?: string[];
  /** An existing cluster's kubeconfig; without it each cluster is the kind context `kind-<name>`. */
  kubeconfig?: string;
  context?: string;
  runId?: string;
}

export function benchPlan(platform: Platform, o: BenchPlanOptions): Plan {
  const runId = o.runId ?? newRunId();
  const runDir = `.bench/${runId}`;
  const chosen = platform.clusters.filter((c) => !o.clusters || o.clusters.includes(c.name));
  const clusters: ClusterPlan[] = chosen.map((c) => ({
    name: c.name,
    mesh: c.mesh,
    target: { kubeconfig: o.kubeconfig ?? null, context: o.context ?? `kind-${c.name}` },
    existing: true,
    probes: [],
  }));
  const steps = chosen.flatMap((c, i) =>
    benchSteps(platform, c, (clusters[i] as ClusterPlan).target, {
      profile: o.profile,
      clusterDir: `${runDir}/${c.name}`,
      runId,
      loadImage: o.kubeconfig === undefined,
    }),
  );
  const plan: Plan = { runId, runDir, clusters, steps };
  const problems = validatePlan(plan, new Set(Object.keys(BENCH_TASKS)));
  if (problems.length > 0) throw new Error(`benchmark plan is not runnable:\n  ${problems.join('\n  ')}`);
  return plan;
}
