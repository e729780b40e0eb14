// Scenario step builders: what runs on a cluster once every Flux layer is Ready (zero-trust probes,
// canaries, the benchmark). Each module exports a Scenario; add it to SCENARIOS in run order.
import type { Cluster, Platform } from '@meshproof/spec';
import { zeroTrustSteps } from '../probes/steps.ts';
import type { ClusterPlan, Step } from '../step.ts';

export interface ScenarioInput {
  platform: Platform;
  cluster: Cluster;
  plan: ClusterPlan;
  runId: string;
  /** `.e2e/<run-id>/<cluster>`, relative to the repository root: where a scenario writes files. */
  dir: string;
}

export type Scenario = (input: ScenarioInput) => Step[];

/** Zero-trust by traffic (probes/): probe workloads, then each target's allow and deny probes. */
const zeroTrust: Scenario = ({ platform, cluster, plan }) => zeroTrustSteps(platform, cluster, plan.target);

/**
 * In run order. A scenario's 'always' steps (removing what it added) run after the cluster's
 * diagnostics, so a failure is described before its evidence is removed.
 */
export const SCENARIOS: readonly Scenario[] = [zeroTrust];
