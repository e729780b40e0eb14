// Every executor a plan may name. Each scenario module exports a record; add it here.
import { CANARY_TASKS } from './canary/tasks.ts';
import { coreTasks } from './core/tasks.ts';
import { ZERO_TRUST_TASKS } from './probes/tasks.ts';
import { taskRegistry } from './registry.ts';
import { SOURCE_TASKS } from './source/tasks.ts';
import { TOOL_TASKS } from './tools/tasks.ts';

export const TASKS = taskRegistry(coreTasks, TOOL_TASKS, SOURCE_TASKS, ZERO_TRUST_TASKS, CANARY_TASKS);
