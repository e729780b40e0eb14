import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { validatePlatform } from '@meshproof/spec';
import { validSpec } from '../../../spec/src/fixture.ts';
import type { TaskContext } from '../registry.ts';
import { type Evidence, type Json, type Plan, validatePlan } from '../step.ts';
import { estimateClusterMemory } from './memory.ts';
import { TOOL_PINS } from './pins.ts';
import { ENSURE_TOOLS, prerequisiteSteps, TOOL_TASKS } from './tasks.ts';

const platform = (() => {
  const result = validatePlatform(validSpec());
  assert.ok(result.ok);
  return result.platform;
})();

/** The executor-facing part of a context; the engine supplies the rest. */
function context(root: string) {
  const lines: string[] = [];
  const evidence: Evidence[] = [];
  const ctx = {
    root,
    signal: new AbortController().signal,
    log: (line: string) => lines.push(line),
    evidence: (e: Evidence) => evidence.push(e),
  } as unknown as TaskContext;
  return { ctx, lines, evidence };
}

const argsOf = (plan: ReturnType<typeof prerequisiteSteps>, i: number) => {
  const action = plan[i]?.actions[0];
  assert.ok(action?.type === 'task');
  return action.args;
};

test('the prerequisite steps are plain JSON, Docker first, with the memory figures and tool pins in the plan', () => {
  const steps = prerequisiteSteps(platform, platform.clusters);
  assert.deepEqual(JSON.parse(JSON.stringify(steps)), steps);
  assert.deepEqual(
    steps.map((s) => s.id),
    ['run/prerequisites/docker', 'run/prerequisites/tools'],
  );
  const plan: Plan = { runId: 'r', runDir: '.e2e/r', clusters: [], steps };
  assert.deepEqual(validatePlan(plan, new Set(Object.keys(TOOL_TASKS))), []);
  const needs = argsOf(steps, 0).needs as { cluster: string; totalMiB: number }[];
  assert.deepEqual(
    needs.map((n) => [n.cluster, n.totalMiB]),
    platform.clusters.map((c) => [c.name, estimateClusterMemory(platform, c).totalMiB]),
  );
  const tools = argsOf(steps, 1).tools as {
    name: string;
    version: string;
    asset?: string;
    checksum?: string;
  }[];
  assert.deepEqual(
    tools.map((t) => [t.name, t.version]),
    [
      ['kind', '0.32.0'],
      ['kubectl', TOOL_PINS.kubectl.version],
      ['helm', '4.2.4'],
      ['flux', '2.9.4'],
    ],
  );
  assert.equal(
    tools[3]?.checksum,
    'https://github.com/fluxcd/flux2/releases/download/v2.9.4/flux_2.9.4_checksums.txt',
  );
});

test('check-docker runs against this engine and reports what it found as evidence', async () => {
  const { ctx, lines, evidence } = context(tmpdir());
  await TOOL_TASKS['check-docker']?.(argsOf(prerequisiteSteps(platform, platform.clusters), 0), ctx);
  assert.match(lines[0] ?? '', /^Docker /);
  assert.equal(evidence[0]?.type, 'docker');
  assert.ok(Number(evidence[0]?.memTotalMiB) > 0);
});

test('check-docker fails with exit code 2 when a cluster needs more than Docker has', async () => {
  const { ctx } = context(tmpdir());
  const needs: Json = [{ cluster: 'kind-huge', totalMiB: 1024 * 1024 * 1024 }];
  await assert.rejects(
    TOOL_TASKS['check-docker']?.({ needs }, ctx) ?? Promise.resolve(),
    (error: Error & { exitCode?: number }) => {
      assert.equal(error.exitCode, 2);
      assert.match(
        error.message,
        /^docker: not enough memory: kind-huge needs about 1048576\.0 GiB \(estimate\)/,
      );
      return true;
    },
  );
});

test('ensure-tools refuses a version the plan did not pin, before downloading anything', async () => {
  const root = mkdtempSync(join(tmpdir(), 'meshproof-tasks-'));
  try {
    const { ctx } = context(root);
    await assert.rejects(
      TOOL_TASKS[ENSURE_TOOLS]?.({ tools: [{ name: 'kind', version: '0.31.0' }] }, ctx) ?? Promise.resolve(),
      { message: 'ensure-tools: kind 0.31.0 is not a pinned tool' },
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
