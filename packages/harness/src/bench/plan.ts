// The benchmark as a runner scenario: harness's plan builder (the same prerequisite, image, cluster, Flux
// and wait steps as `./dev e2e`) calls it once each cluster is Ready, and appends the steps it returns.

import type { Profile } from '@meshproof/bench';
import type { Scenario } from '../plan/scenarios.ts';
import { benchSteps } from './steps.ts';

/** The benchmark steps of each cluster, writing into the run's `<runDir>/<cluster>/`. */
export const benchScenario =
  (profile: Profile): Scenario =>
  ({ platform, cluster, plan, runId, dir }) =>
    benchSteps(platform, cluster, plan.target, {
      profile,
      clusterDir: dir,
      runId,
      // kind: load the pinned k6 image like every other image; an existing cluster must be able to pull it.
      loadImage: !plan.existing,
    });
