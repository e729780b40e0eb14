// `kube` actions with @kubernetes/client-node: server-side apply, watch-based waits, get, delete.
// This is the thin cluster-facing layer; what each call does is printed in the plan.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeConfig, KubernetesObjectApi, PatchStrategy, Watch } from '@kubernetes/client-node';
import type { KubeAction, KubeTarget, ObjectRef } from '../step.ts';
import { type Condition, conditionState, describeCondition } from './conditions.ts';
import type { KubeContext, KubeExecutor } from './engine.ts';

// KubernetesObjectApi resolves a kind's REST path through discovery; the watch needs that path.
class ObjectApi extends KubernetesObjectApi {
  listPath(ref: ObjectRef) {
    return this.specUriPath(
      { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { namespace: ref.namespace } },
      'list',
    );
  }
}

function kubeConfig(target: KubeTarget, root: string): KubeConfig {
  const kc = new KubeConfig();
  if (target.kubeconfig === null) kc.loadFromDefault();
  else kc.loadFromFile(resolve(root, target.kubeconfig));
  if (!kc.getContexts().some((c) => c.name === target.context))
    throw new Error(`kubeconfig ${target.kubeconfig ?? '(default)'} has no context "${target.context}"`);
  kc.setCurrentContext(target.context);
  return kc;
}

const show = (r: ObjectRef) => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;

interface Observed {
  metadata?: { generation?: number; resourceVersion?: string };
  status?: { observedGeneration?: number; conditions?: Condition[] };
}

async function waitFor(
  kc: KubeConfig,
  a: Extract<KubeAction, { op: 'wait' }>,
  ctx: KubeContext,
): Promise<void> {
  const api = kc.makeApiClient(ObjectApi);
  let path: string | undefined;
  const fieldSelector = `metadata.name=${a.ref.name}`;
  let last: Observed | undefined;
  let lastError: string | undefined;
  const started = Date.now();
  const deadline = started + a.timeoutMs;
  const outcome = () => conditionState(last, a.condition);
  while (Date.now() < deadline && !ctx.signal.aborted) {
    // List for the current state and a resourceVersion, then watch from there until the
    // condition holds, the watch ends (the server closes watches: re-list) or time is up.
    let list: Awaited<ReturnType<typeof api.list<Observed & { kind: string; apiVersion: string }>>>;
    try {
      // Discovery (the kind's REST path) is retried like the list: right after create the API may still be starting.
      path ??= await api.listPath(a.ref);
      list = await api.list<Observed & { kind: string; apiVersion: string }>(
        a.ref.apiVersion,
        a.ref.kind,
        a.ref.namespace,
        undefined,
        undefined,
        undefined,
        fieldSelector,
      );
    } catch (e) {
      // An API server that is still starting or briefly unreachable is retried until the bound.
      lastError = (e as Error).message;
      ctx.log(`${show(a.ref)}: ${lastError}; retrying`);
      await sleep(2000, undefined, { signal: ctx.signal }).catch(() => {});
      continue;
    }
    last = list.items[0] ?? last;
    if (outcome() === 'met') break;
    const met = await new Promise<boolean>((done) => {
      let controller: AbortController | undefined;
      const stop = (value: boolean) => {
        clearTimeout(timer);
        ctx.signal.removeEventListener('abort', onAbort);
        controller?.abort();
        done(value);
      };
      const onAbort = () => stop(false);
      const timer = setTimeout(() => stop(false), Math.max(0, deadline - Date.now()));
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      new Watch(kc)
        .watch(
          path as string,
          { fieldSelector, resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true },
          (phase, obj: Observed) => {
            if (phase === 'ADDED' || phase === 'MODIFIED') {
              const before = describeCondition(last, a.condition);
              last = obj;
              const now = describeCondition(last, a.condition);
              if (now !== before) ctx.log(`${show(a.ref)}: ${now}`);
              if (outcome() === 'met') stop(true);
            }
          },
          () => stop(false),
        )
        .then(
          (c) => {
            controller = c;
          },
          () => stop(false),
        );
    });
    if (met) break;
  }
  ctx.evidence({
    type: 'condition',
    object: show(a.ref),
    condition: a.condition,
    last: describeCondition(last, a.condition),
    waitedMs: Date.now() - started,
  });
  if (outcome() !== 'met' && !ctx.signal.aborted)
    throw new Error(
      `${show(a.ref)} not ${a.condition} after ${Math.round(a.timeoutMs / 1000)}s (bound: ${a.why}); last: ${describeCondition(last, a.condition)}${last === undefined && lastError ? `; last API error: ${lastError}` : ''}`,
    );
}

export const kubeExecutor: KubeExecutor = async (a, ctx) => {
  const kc = kubeConfig(a.target, ctx.root);
  const api = KubernetesObjectApi.makeApiClient(kc);
  switch (a.op) {
    case 'apply':
      for (const o of a.objects) {
        await api.patch(o, undefined, undefined, 'meshproof', true, PatchStrategy.ServerSideApply);
        ctx.log(
          `applied ${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`,
        );
      }
      return;
    case 'wait':
      return waitFor(kc, a, ctx);
    case 'get': {
      const o = await api.read({
        apiVersion: a.ref.apiVersion,
        kind: a.ref.kind,
        metadata: { name: a.ref.name, namespace: a.ref.namespace },
      });
      if (a.saveAs) writeFileSync(resolve(ctx.root, a.saveAs), JSON.stringify(o, null, 2));
      return;
    }
    case 'delete':
      await api.delete({
        apiVersion: a.ref.apiVersion,
        kind: a.ref.kind,
        metadata: { name: a.ref.name, namespace: a.ref.namespace },
      });
      ctx.log(`deleted ${show(a.ref)}`);
      return;
  }
};
