export { checkTools, E2E_TOOLS, type ToolStatus } from './check.ts';
export { type ClusterNeed, checkDocker, type DockerCheck } from './docker.ts';
export {
  ALL_TOOLS,
  baseUrlEnv,
  type EnsureOptions,
  type EnsureResult,
  ensureTools,
  type ResolvedTool,
  TOOLS_BIN,
} from './ensure.ts';
export { estimateClusterMemory, type MemoryEstimate, type MemoryPart } from './memory.ts';
export { hostTarget, type Target, TOOL_PINS, type ToolName, type ToolPin } from './pins.ts';
export { CHECK_DOCKER, ENSURE_TOOLS, prerequisiteError, prerequisiteSteps, TOOL_TASKS } from './tasks.ts';
