export * from './canary/index.ts';
export { e2ePlan, formatPlan, type PlanStep } from './plan.ts';
export * from './probes/index.ts';
export type { RunResult, TaskContext, TaskExecutor, TaskRegistry } from './registry.ts';
export { taskRegistry } from './registry.ts';
export * from './source/index.ts';
export * from './step.ts';
export { TASKS } from './tasks.ts';
export { checkTools, E2E_TOOLS, type ToolStatus } from './tools.ts';
