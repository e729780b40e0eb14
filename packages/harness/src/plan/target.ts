// The flags that point each host tool at one cluster. Every cluster call in the plan carries them,
// so a command copied from `--plan` reaches the same cluster and never the user's current context.
import { type HostTool, type KubeTarget, type RunAction, run } from '../step.ts';

const contextFlag: Partial<Record<HostTool, string>> = {
  kubectl: '--context',
  flux: '--context',
  helm: '--kube-context',
};

/** `kubectl|helm|flux <args>` with --kubeconfig/--context (helm: --kube-context) for `target`. */
export function clusterRun(
  target: KubeTarget,
  argv: [HostTool, ...string[]],
  extra: Omit<RunAction, 'type' | 'argv'> = {},
): RunAction {
  const [tool, ...args] = argv;
  const flag = contextFlag[tool];
  if (!flag) throw new Error(`${tool} takes no kube context`);
  const kubeconfig = target.kubeconfig === null ? [] : ['--kubeconfig', target.kubeconfig];
  return run([tool, ...kubeconfig, flag, target.context, ...args], extra);
}
