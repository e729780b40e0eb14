// Scenario step builders: what runs on a cluster once every Flux layer is Ready (zero-trust probes,
// canaries, the benchmark). Each module exports a Scenario; add it to SCENARIOS in run order.
import type { Cluster, Platform } from '@meshproof/spec';
import { headerRouteSteps } from '../canary/header-route-steps.ts';
import { canarySteps } from '../canary/scenario.ts';
import { zeroTrustSteps } from '../probes/steps.ts';
import type { FluxSync } from '../source/flux-sync.ts';
import { sourceRepoPath } from '../source/steps.ts';
import type { ClusterPlan, Step } from '../step.ts';

export interface ScenarioInput {
  platform: Platform;
  cluster: Cluster;
  plan: ClusterPlan;
  runId: string;
  runDir: string;
  /** The cluster's flux-system source as the run serves it; undefined on an existing cluster. */
  sync: FluxSync | undefined;
  /** `.e2e/<run-id>/<cluster>`, relative to the repository root: where a scenario writes files. */
  dir: string;
}

export type Scenario = (input: ScenarioInput) => Step[];

/** Zero-trust by traffic (probes/): probe workloads, then each target's allow and deny probes. */
export const zeroTrust: Scenario = ({ platform, cluster, plan }) =>
  zeroTrustSteps(platform, cluster, plan.target);

/**
 * Header routes (canary/header-route-steps.ts): requests with and without each route's header, from
 * the caller's pod. Read-only, so they run on an existing cluster too.
 */
const headerRoutes: Scenario = ({ platform, cluster, plan }) =>
  headerRouteSteps(platform, cluster, plan.target);

/** Flagger promotion then rollback per canary app, published as commits on the run's source (canary/). */
const canaries: Scenario = ({ platform, cluster, plan, runDir, sync }) =>
  sync
    ? canarySteps({
        platform,
        cluster,
        plan,
        source: { repo: sourceRepoPath(runDir, cluster.name), branch: sync.branch, ...sync.source },
      })
    : [];

/**
 * In run order. A scenario's 'always' steps (removing what it added) run after the cluster's
 * diagnostics, so a failure is described before its evidence is removed.
 */
export const SCENARIOS: readonly Scenario[] = [zeroTrust, headerRoutes, canaries];
