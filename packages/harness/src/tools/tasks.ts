// The runner's first steps as plan data, and the executors that run them: Docker first (reachable,
// enough memory for each cluster), then the pinned tools. The memory figures and tool pins are
// computed when the plan is made, so `--plan --json` shows what will be checked and downloaded.
import type { Cluster, Platform } from '@meshproof/spec';
import type { TaskExecutor } from '../registry.ts';
import { type Json, type Step, step, task } from '../step.ts';
import { checkDocker } from './docker.ts';
import { ALL_TOOLS, baseUrlEnv, ensureTools } from './ensure.ts';
import { estimateClusterMemory } from './memory.ts';
import { hostTarget, TOOL_PINS, type ToolName } from './pins.ts';

export const CHECK_DOCKER = 'check-docker';
export const ENSURE_TOOLS = 'ensure-tools';

/** Errors the runner maps to exit 2: a missing prerequisite, not a failed proof. */
export const prerequisiteError = (message: string): Error & { exitCode: 2 } =>
  Object.assign(new Error(message), { exitCode: 2 as const });

/** What a reviewer reads in the plan about each tool: version, and where it comes from if PATH lacks it. */
function toolArgs(names: readonly ToolName[]): Json {
  const target = hostTarget();
  return names.map((name) => {
    const pin = TOOL_PINS[name];
    return {
      name,
      version: pin.version,
      ...(target
        ? {
            asset: pin.defaultBase + pin.assetPath(target),
            checksum: pin.defaultBase + pin.checksumPath(target),
            baseUrlEnv: baseUrlEnv(name),
          }
        : {}),
    };
  });
}

/** The run-wide prerequisite steps for these clusters of the spec. */
export function prerequisiteSteps(
  platform: Platform,
  clusters: readonly Cluster[],
  tools: readonly ToolName[] = ALL_TOOLS,
): Step[] {
  const needs = clusters.map((cluster) => {
    const estimate = estimateClusterMemory(platform, cluster);
    return {
      cluster: estimate.cluster,
      totalMiB: estimate.totalMiB,
      parts: estimate.parts.map((p) => ({ what: p.what, mib: p.mib, basis: p.basis })),
    };
  });
  return [
    step({
      id: 'run/prerequisites/docker',
      cluster: null,
      title: 'Docker answers and has the memory each cluster needs',
      timeoutMs: 30_000,
      actions: [task(CHECK_DOCKER, { needs })],
    }),
    step({
      id: 'run/prerequisites/tools',
      cluster: null,
      title: `${tools.map((name) => `${name} ${TOOL_PINS[name].version}`).join(', ')}: from PATH or downloaded into .tools/bin and checksum-verified`,
      timeoutMs: 15 * 60_000,
      actions: [task(ENSURE_TOOLS, { tools: toolArgs(tools) })],
    }),
  ];
}

const isRecord = (value: Json | undefined): value is { [key: string]: Json } =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const checkDockerTask: TaskExecutor = async (args, ctx) => {
  const needs = (Array.isArray(args.needs) ? args.needs : []).filter(isRecord).map((n) => ({
    cluster: String(n.cluster),
    totalMiB: Number(n.totalMiB),
  }));
  const check = await checkDocker({ needs });
  for (const line of check.lines) ctx.log(line);
  ctx.evidence({
    type: 'docker',
    serverVersion: check.serverVersion ?? null,
    memTotalMiB: check.memTotalMiB ?? null,
    cpus: check.cpus ?? null,
    needs: needs.map((n) => ({ cluster: n.cluster, totalMiB: n.totalMiB })),
  });
  if (check.problems.length > 0) throw prerequisiteError(check.problems.join('\n'));
};

const ensureToolsTask: TaskExecutor = async (args, ctx) => {
  const wanted = (Array.isArray(args.tools) ? args.tools : []).filter(isRecord);
  const names: ToolName[] = [];
  for (const tool of wanted) {
    const name = String(tool.name) as ToolName;
    const pin = TOOL_PINS[name];
    // The plan printed a version; refuse to fetch anything else under that step.
    if (!pin || tool.version !== pin.version)
      throw new Error(`${ENSURE_TOOLS}: ${String(tool.name)} ${String(tool.version)} is not a pinned tool`);
    names.push(name);
  }
  const result = await ensureTools({ repoRoot: ctx.root, tools: names, signal: ctx.signal, log: ctx.log });
  for (const tool of result.tools) {
    ctx.log(
      `${tool.name} v${tool.version}: ${tool.path} (${tool.source}${tool.note ? `; ${tool.note}` : ''})`,
    );
    ctx.evidence({
      type: 'tool',
      name: tool.name,
      version: tool.version,
      path: tool.path,
      source: tool.source,
      ...(tool.note ? { note: tool.note } : {}),
    });
  }
  if (result.problems.length > 0) throw prerequisiteError(result.problems.join('\n'));
};

/** Executors for tasks.ts: `taskRegistry(TOOL_TASKS, ...)`. */
export const TOOL_TASKS: Readonly<Record<string, TaskExecutor>> = {
  [CHECK_DOCKER]: checkDockerTask,
  [ENSURE_TOOLS]: ensureToolsTask,
};
