// The runner's own task executors: tool check, files it generates, and diagnostics.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { TaskContext, TaskExecutor } from '../registry.ts';
import type { HostTool } from '../step.ts';

const kubectl = (ctx: TaskContext, ...args: string[]): [HostTool, ...string[]] => {
  const t = ctx.cluster?.target;
  if (!t) throw new Error(`${ctx.step.id}: a cluster task without a cluster`);
  return [
    'kubectl',
    ...(t.kubeconfig === null ? [] : ['--kubeconfig', t.kubeconfig]),
    '--context',
    t.context,
    ...args,
  ];
};

interface PodItem {
  metadata: { name: string; namespace: string };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

async function pods(ctx: TaskContext, namespaces: readonly string[] | 'all'): Promise<PodItem[]> {
  const scope = namespaces === 'all' ? ['--all-namespaces'] : [];
  const lists = namespaces === 'all' ? [scope] : namespaces.map((ns) => ['--namespace', ns]);
  const items: PodItem[] = [];
  for (const where of lists) {
    const r = await ctx.exec(kubectl(ctx, 'get', 'pods', ...where, '-o', 'json'));
    if (r.code !== 0) {
      ctx.log(`could not list pods ${where.join(' ')}: ${r.stderr.trim()}`);
      continue;
    }
    items.push(...(JSON.parse(r.stdout) as { items: PodItem[] }).items);
  }
  return items;
}

const unready = (p: PodItem) =>
  p.status?.phase !== 'Succeeded' &&
  !p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

const save = (ctx: TaskContext, file: string, text: string) => {
  const path = resolve(ctx.root, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  ctx.evidence({ type: 'file', path: file });
};

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

// kind creates the `kind` Docker network on first use and never removes it. The run notes whether it
// existed before and removes it at the end only if the run made it and nothing is attached any more.
const networkState = async (ctx: TaskContext, network: string): Promise<'absent' | number> => {
  const r = await ctx.exec(['docker', 'network', 'inspect', network, '--format', '{{len .Containers}}']);
  return r.code === 0 ? Number(r.stdout.trim()) : 'absent';
};

export const coreTasks: Record<string, TaskExecutor> = {
  /** Records in `file` whether the Docker network exists before the run. */
  'network-before': async (args, ctx) => {
    const state = await networkState(ctx, String(args.network));
    save(ctx, String(args.file), state === 'absent' ? 'absent\n' : 'existed\n');
    ctx.log(
      `docker network ${String(args.network)}: ${state === 'absent' ? 'absent' : 'exists'} before the run`,
    );
  },
  /** Removes the network if `file` says the run made it and no container is attached any more. */
  'network-after': async (args, ctx) => {
    const network = String(args.network);
    let before = '';
    try {
      before = readFileSync(resolve(ctx.root, String(args.file)), 'utf8').trim();
    } catch {
      ctx.log(`no record of docker network ${network} before the run: left as it is`);
      return;
    }
    const state = await networkState(ctx, network);
    if (before !== 'absent' || state === 'absent')
      return ctx.log(`docker network ${network}: nothing to remove`);
    if (state > 0)
      return ctx.log(`docker network ${network}: ${state} container(s) still attached, left in place`);
    const r = await ctx.exec(['docker', 'network', 'rm', network]);
    if (r.code !== 0) throw new Error(`docker network rm ${network}: ${r.stderr.trim()}`);
    ctx.log(`removed docker network ${network} (the run created it)`);
  },
  /** Writes `value` as JSON (also valid YAML) to `file`, relative to the repository root. */
  'write-json': async (args, ctx) => {
    save(ctx, String(args.file), `${JSON.stringify(args.value, null, 2)}\n`);
  },
  'describe-unready-pods': async (args, ctx) => {
    const dir = String(args.dir);
    const bad = (await pods(ctx, 'all')).filter(unready);
    ctx.log(`${bad.length} pod(s) not Ready`);
    for (const p of bad) {
      const file = join(dir, 'describe', `${p.metadata.namespace}_${p.metadata.name}.txt`);
      await ctx.exec(kubectl(ctx, 'describe', 'pod', '--namespace', p.metadata.namespace, p.metadata.name), {
        stdoutFile: file,
      });
      ctx.evidence({ type: 'file', path: file });
    }
  },
  'collect-logs': async (args, ctx) => {
    const dir = String(args.dir);
    const chosen = [
      ...(await pods(ctx, strings(args.allPodsIn))),
      ...(await pods(ctx, strings(args.unreadyPodsIn))).filter(unready),
    ];
    for (const p of chosen) {
      const { namespace, name } = p.metadata;
      for (const previous of [false, true]) {
        const file = join(dir, `${namespace}_${name}${previous ? '.previous' : ''}.log`);
        const r = await ctx.exec(
          kubectl(
            ctx,
            'logs',
            '--namespace',
            namespace,
            name,
            '--all-containers',
            '--prefix',
            '--timestamps',
            ...(previous ? ['--previous'] : []),
          ),
          { stdoutFile: file },
        );
        // --previous fails for containers that never restarted: keep only what exists.
        if (r.code === 0) ctx.evidence({ type: 'file', path: file });
        else rmSync(resolve(ctx.root, file), { force: true });
      }
    }
  },
};
