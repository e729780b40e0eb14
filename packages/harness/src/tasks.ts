// Every executor a plan may name. Each scenario module exports a record; add it here.
import { taskRegistry } from './registry.ts';

export const TASKS = taskRegistry();
