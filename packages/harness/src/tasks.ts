// Every executor a plan may name. Each scenario module exports a record; add it here.
import { taskRegistry } from './registry.ts';
import { SOURCE_TASKS } from './source/tasks.ts';

export const TASKS = taskRegistry(SOURCE_TASKS);
