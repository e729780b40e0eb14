import { formatPlan, TASKS } from '@meshproof/harness';
import { type Command, parseFlags } from '../command.ts';
import { configFlag, loadConfigOrThrow } from '../config.ts';
import { EXIT, UsageError } from '../io.ts';
import { executePlan, planFromFlags, targetFlags } from '../run-plan.ts';

const help = `Usage: meshproof e2e [--cluster NAME] [--plan [--json]] [--keep] [--config FILE]
       meshproof e2e --kubeconfig PATH | --existing  --cluster NAME [--yes]
       meshproof e2e --list [--json]

Proves the rendered clusters: creates each kind cluster, installs its mesh through Flux from a Git
server serving this checkout, waits for every layer, checks by traffic that only the calls in the
spec get through, and deletes the cluster. Results, logs and diagnostics go to .e2e/<run-id>/.
  --plan           print every step the run executes (commands and API calls) without running anything
  --json           with --plan: the plan as JSON, the very objects the runner executes;
                   with --list: the spec's clusters as JSON (a CI matrix)
  --cluster NAME   only this cluster from the spec
  --keep           leave the kind clusters running at the end and print how to reach them
  --kubeconfig P   run the proofs on an existing cluster (no create/load/delete), context from P
  --existing       the same with the current context of your default kubeconfig
  --yes            run even when the context is not named after --cluster
  --run-id ID      name of the run folder (default: a timestamp)
  -c, --config     spec to read (default meshproof.config.ts)
Exit codes: 0 every step and probe passed (or plan printed), 1 a proof failed,
2 bad spec, usage or missing prerequisites (tools, Docker).
`;

export const e2e: Command = {
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      ...configFlag,
      plan: { type: 'boolean' },
      json: { type: 'boolean' },
      list: { type: 'boolean' },
      ...targetFlags,
    });
    if (values.help) {
      io.stdout.write(help);
      return EXIT.ok;
    }
    const { platform } = await loadConfigOrThrow(values.config);
    if (values.list) {
      const list = platform.clusters.map((c) => ({ cluster: c.name, mesh: c.mesh }));
      io.stdout.write(
        values.json ? `${JSON.stringify(list)}\n` : list.map((c) => `${c.cluster}\t${c.mesh}\n`).join(''),
      );
      return EXIT.ok;
    }
    if (values.json && !values.plan) throw new UsageError('--json goes with --plan or --list');
    const plan = planFromFlags(values, platform, { folder: '.e2e', tasks: TASKS });
    if (values.plan) {
      io.stdout.write(values.json ? `${JSON.stringify(plan, null, 2)}\n` : `${formatPlan(plan)}\n`);
      return EXIT.ok;
    }
    return executePlan(plan, TASKS, io, 'e2e');
  },
};
