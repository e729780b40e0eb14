// --kubeconfig / --existing: the cluster the user already has. The run only adds and removes its
// probe workloads there, and refuses a context whose name does not say it is the cluster asked for.
import { KubeConfig } from '@kubernetes/client-node';
import type { KubeTarget } from './step.ts';

/** The kubeconfig's current context (default loading rules when path is null); throws naming the file. */
export function currentContext(path: string | null): string {
  const kc = new KubeConfig();
  try {
    if (path === null) kc.loadFromDefault();
    else kc.loadFromFile(path);
  } catch (e) {
    throw new Error(`cannot read kubeconfig ${path ?? '(default)'}: ${(e as Error).message}`);
  }
  const context = kc.getCurrentContext();
  if (!context) throw new Error(`kubeconfig ${path ?? '(default)'} has no current context`);
  return context;
}

/** A context matches a cluster when it is named after it: `<cluster>` or kind's `kind-<cluster>`. */
export const contextMatches = (context: string, cluster: string) =>
  context === cluster || context === `kind-${cluster}`;

export function existingTarget(path: string | null, cluster: string, yes: boolean): KubeTarget {
  const context = currentContext(path);
  if (!contextMatches(context, cluster) && !yes)
    throw new Error(
      `the current context "${context}" is not named after cluster "${cluster}" (expected "${cluster}" or "kind-${cluster}"); switch context, or pass --yes to run against it anyway`,
    );
  return { kubeconfig: path, context };
}
