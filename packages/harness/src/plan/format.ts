// The plan for people: numbered steps, each action as the command or API call it is.
import { shellJoin } from '@meshproof/render';
import type { Action, Json, Plan } from '../step.ts';
import { formatDuration } from './duration.ts';

const ref = (r: { kind: string; namespace?: string; name: string }) =>
  `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;

export function formatAction(a: Action): string {
  switch (a.type) {
    case 'run':
      return `${a.cwd ? `(in ${a.cwd}) ` : ''}${shellJoin(a.argv)}${a.stdoutFile ? ` > ${a.stdoutFile}` : ''}`;
    case 'task': {
      // Tasks that run host commands carry them as args.argv (one argv, or named argvs): show them as commands.
      const { argv, ...rest } = a.args;
      const argvs = isArgv(argv) ? [argv] : isRecord(argv) ? Object.values(argv).filter(isArgv) : [];
      return [
        `task ${a.name} ${JSON.stringify(elide(argv === undefined || argvs.length === 0 ? a.args : rest))}`,
        ...argvs.map((v) => `  runs: ${shellJoin(v.map(shorten))}`),
      ].join('\n     ');
    }
    case 'kube':
      if (a.op === 'apply')
        return `apply (server-side, ${a.target.context}): ${a.objects.map((o) => ref({ ...o.metadata, kind: o.kind })).join(', ')}`;
      if (a.op === 'wait')
        return `wait (watch, ${a.target.context}) for ${ref(a.ref)} ${a.condition}=True, up to ${formatDuration(a.timeoutMs)} (${a.why})`;
      return `${a.op} (${a.target.context}) ${ref(a.ref)}`;
  }
}

const isArgv = (v: Json | undefined): v is string[] =>
  Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string');
const isRecord = (v: Json | undefined): v is { [key: string]: Json } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// Long values (a file to publish, a script passed to node -e) are shortened for people; `--plan
// --json` carries them whole.
const LONG = 160;
const shorten = (s: string): string =>
  s.length > LONG ? `<${s.length} chars: ${s.slice(0, 48).replaceAll('\n', ' ')}…>` : s;
const elide = (v: Json): Json => {
  if (typeof v === 'string') return shorten(v);
  if (Array.isArray(v)) return v.map(elide);
  if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, elide(x)]));
  return v;
};

const WHEN = { ok: '', failed: ' [on failure]', always: ' [always]' } as const;

export function formatPlan(plan: Plan): string {
  const lines = [`Run ${plan.runId} (results in ${plan.runDir}/)`];
  plan.steps.forEach((s, i) => {
    lines.push(`${i + 1}. ${s.id}${WHEN[s.when]}: ${s.title} (timeout ${formatDuration(s.timeoutMs)})`);
    if (s.skip !== undefined) lines.push(`     skipped: ${s.skip}`);
    for (const a of s.actions) lines.push(`     ${formatAction(a)}`);
  });
  for (const c of plan.clusters) {
    lines.push('', `Probes on ${c.name} (${c.probes.length}):`);
    for (const p of c.probes)
      lines.push(`  ${p.from} → ${p.to}: ${p.method} ${p.path} expect ${p.expect} [${p.caller}] (${p.why})`);
  }
  return lines.join('\n');
}
