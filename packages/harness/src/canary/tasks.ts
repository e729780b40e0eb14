// The canary executors, publishing through the run's Git source (source/snapshot.ts publishChange).
import type { TaskExecutor } from '../registry.ts';
import { publishChange } from '../source/snapshot.ts';
import { HEADER_ROUTE } from './header-route-steps.ts';
import { headerRouteTask } from './header-route-task.ts';
import { rolloutTask } from './rollout-task.ts';
import { CANARY_ROLLOUT } from './scenario.ts';

export const CANARY_TASKS: Readonly<Record<string, TaskExecutor>> = {
  [CANARY_ROLLOUT]: rolloutTask(publishChange),
  [HEADER_ROUTE]: headerRouteTask,
};
