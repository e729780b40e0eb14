export { checkTools, E2E_TOOLS, type ToolStatus } from './check.ts';
export { checkDocker, type DockerCheck } from './docker.ts';
export {
  ALL_TOOLS,
  baseUrlEnv,
  type EnsureOptions,
  type EnsureResult,
  ensureTools,
  type ResolvedTool,
  TOOLS_BIN,
} from './ensure.ts';
export { estimateClusterMemory, type MemoryEstimate } from './memory.ts';
export { hostTarget, type Target, TOOL_PINS, type ToolName, type ToolPin } from './pins.ts';
