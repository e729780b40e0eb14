export { e2ePlan, formatPlan, type PlanStep } from './plan.ts';
export { OUTSIDER, type Probe, probeMatrix } from './probes.ts';
export { checkTools, E2E_TOOLS, type ToolStatus } from './tools.ts';
