// Executors of the source steps (steps.ts). Docker calls go through ctx.exec, under the engine's
// process control; git runs in-process-owned children because it needs a private index and object
// directory in its environment.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TaskContext, TaskExecutor } from '../registry.ts';
import type { Json } from '../step.ts';
import { output } from './exec.ts';
import { startSourceServer, stopSourceServer } from './server.ts';
import { copySnapshot, snapshotCheckout } from './snapshot.ts';

function text(args: { [key: string]: Json }, key: string, task: string): string {
  const v = args[key];
  if (typeof v !== 'string' || v === '')
    throw new Error(`task ${task}: args.${key} must be a non-empty string`);
  return v;
}

/** Paths in args are relative to the repository root; nothing outside it is written or removed. */
function inRoot(ctx: TaskContext, path: string, task: string): string {
  if (path.startsWith('/') || path.split('/').includes('..'))
    throw new Error(`task ${task}: "${path}" must be a path inside the repository`);
  return join(ctx.root, path);
}

const snapshot: TaskExecutor = async (args, ctx) => {
  const repos = Array.isArray(args.repos) ? args.repos : [];
  const targets = repos.map((r, i) => {
    if (typeof r !== 'object' || r === null || Array.isArray(r))
      throw new Error(`task source-snapshot: args.repos[${i}] must be { path, branch }`);
    return {
      path: inRoot(ctx, text(r, 'path', 'source-snapshot'), 'source-snapshot'),
      branch: text(r, 'branch', 'source-snapshot'),
    };
  });
  const [first, ...rest] = targets;
  if (!first) throw new Error('task source-snapshot: args.repos is empty');
  const started = Date.now();
  const snap = await snapshotCheckout({
    checkout: ctx.root,
    repo: first.path,
    branch: first.branch,
    signal: ctx.signal,
  });
  for (const t of rest) await copySnapshot(snap, t.path, t.branch);
  ctx.log(
    `snapshot ${snap.revision} of ${snap.base ?? 'no commit'} (working tree included) in ${Date.now() - started} ms`,
  );
  ctx.evidence({
    type: 'source-snapshot',
    revision: snap.revision,
    tree: snap.tree,
    base: snap.base,
    repos: targets.map((t) => t.path),
  });
};

const start: TaskExecutor = async (args, ctx) => {
  const name = text(args, 'name', 'source-start');
  const server = await startSourceServer(ctx.exec, {
    name,
    network: text(args, 'network', 'source-start'),
    image: text(args, 'image', 'source-start'),
    repo: inRoot(ctx, text(args, 'repo', 'source-start'), 'source-start'),
  });
  if (typeof args.resolveFrom === 'string') {
    const node = args.resolveFrom;
    const found = await output(ctx.exec, ['docker', 'exec', node, 'getent', 'hosts', name]).catch(
      (err: Error) => {
        throw new Error(
          `kind node ${node} cannot resolve ${name}, so Flux could not fetch from it: ${err.message}`,
        );
      },
    );
    ctx.log(`${node} resolves ${name} to ${found.split(/\s+/)[0]}`);
  }
  ctx.log(`serving ${server.url}`);
  ctx.evidence({ type: 'source-server', name, url: server.url });
};

const stop: TaskExecutor = async (args, ctx) => {
  const name = text(args, 'name', 'source-stop');
  const removed = await stopSourceServer(ctx.exec, name);
  await rm(inRoot(ctx, text(args, 'repo', 'source-stop'), 'source-stop'), { recursive: true, force: true });
  ctx.log(removed ? `removed ${name}` : `${name} was not running`);
};

export const SOURCE_TASKS: Readonly<Record<string, TaskExecutor>> = {
  'source-snapshot': snapshot,
  'source-start': start,
  'source-stop': stop,
};
