// `meshproof check [PATH…]`: run the doctor over rendered cluster YAML and print the findings.
import { existsSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  allChecks,
  formatJson,
  formatSarif,
  formatText,
  InputError,
  type PodSecurityLevel,
  type Report,
  runChecks,
} from '@meshproof/doctor';
import { defaultCacheDir, findRepoRoot, openValidator, type SchemaValidator } from '@meshproof/schemas';
import { type Command, parseFlags } from '../command.ts';
import { EXIT, type Io, UsageError } from '../io.ts';
import { userPath } from '../paths.ts';

const HELP = `Usage: meshproof check [PATH…] [--format text|json|sarif] [--output FILE] [--schemas DIR] [--skip-schemas]
                       [--complete] [--pod-security restricted|baseline|privileged]

Checks rendered Kubernetes YAML (default: clusters/) for schema, reference, security, mesh and Flux
problems. Each clusters/<name>/ directory is checked as one cluster; \`kind: List\` documents are
checked through their items.

  --format FMT    text (default), json or sarif (SARIF 2.1.0 for code scanning)
  --output FILE   write the report to FILE instead of stdout
  --schemas DIR   schema cache written by \`meshproof schemas sync\` (default: .cache/schemas)
  --skip-schemas  run without the schema checks (SCH001-SCH003)
  --complete      the PATHs are the whole tree: an object they reference but do not contain is an error
  --pod-security LEVEL
                  the Pod Security level the tree runs at (default restricted); baseline skips SEC005,
                  privileged also skips SEC011. A Namespace's pod-security.kubernetes.io/enforce label
                  sets the level for its own pods.
  --list          print every check (ID, severity, title, description) and exit

Missing references: a ServiceAccount, Service, source, dependency or workload a file names but the
checked files do not contain is an error only when the doctor saw the whole tree (a clusters/<name>/
folder given as a unit, or --complete); in part of a cluster folder it is a warning, in loose files info.

Opinions vs. problems: checks marked "opinion" in --list (SEC002 default deny, SEC005 restricted Pod
Security, SEC006 probes, SEC007 resources, SEC009 token automount, WKL001 read-only root filesystem, REL002
disruption budgets, REL003 spreading replicas) enforce meshproof's own stance;
every other check reports something the API server, Flux or the mesh would refuse or act on.

Suppress a finding on one object with the annotation
  meshproof.dev/ignore: "<ID>: <reason>; <ID>: <reason>"
Exit codes: 0 no errors, 1 error findings, 2 unreadable input (or a folder without YAML files) or bad usage.
`;

const FORMATS = ['text', 'json', 'sarif'] as const;
const LEVELS: PodSecurityLevel[] = ['restricted', 'baseline', 'privileged'];
type Format = (typeof FORMATS)[number];

function loadValidator(cacheDir: string): SchemaValidator {
  try {
    return openValidator(cacheDir);
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; or pass --skip-schemas`);
  }
}

function render(report: Report, format: Format): string {
  if (format === 'json') return formatJson(report);
  if (format === 'sarif') return formatSarif(report, allChecks);
  return formatText(report);
}

export const check: Command = {
  async run(argv: string[], io: Io): Promise<number> {
    const { values, positionals } = parseFlags(
      argv,
      {
        format: { type: 'string', default: 'text' },
        output: { type: 'string' },
        schemas: { type: 'string' },
        'skip-schemas': { type: 'boolean', default: false },
        list: { type: 'boolean', default: false },
        complete: { type: 'boolean', default: false },
        'pod-security': { type: 'string', default: 'restricted' },
      },
      true,
    );
    if (values.help) {
      io.stdout.write(HELP);
      return EXIT.ok;
    }
    if (values.list) {
      for (const c of allChecks)
        io.stdout.write(
          `${c.id}  ${c.severity.padEnd(7)}  ${c.opinion ? 'opinion  ' : ''}${c.title}\n    ${c.description}\n`,
        );
      return EXIT.ok;
    }
    const podSecurity = values['pod-security'] as PodSecurityLevel;
    if (!LEVELS.includes(podSecurity))
      throw new UsageError(
        `--pod-security must be one of ${LEVELS.join(', ')} (got "${values['pod-security']}")`,
      );
    const format = values.format as Format;
    if (!FORMATS.includes(format))
      throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got "${values.format}")`);
    const cwd = process.cwd();
    const paths = positionals.length > 0 ? positionals.map(userPath) : ['clusters'];
    if (positionals.length === 0 && !existsSync(resolve(cwd, 'clusters'))) {
      throw new UsageError('no clusters/ directory here; pass the PATH to check');
    }
    const validator = values['skip-schemas']
      ? undefined
      : loadValidator(values.schemas ? userPath(values.schemas) : defaultCacheDir(findRepoRoot(cwd)));
    let report: Report;
    try {
      report = await runChecks({ paths, cwd, validator, complete: values.complete, podSecurity });
    } catch (error) {
      if (error instanceof InputError) {
        io.stderr.write(`meshproof check: ${error.message}\n`);
        return EXIT.usage;
      }
      throw error;
    }
    const text = render(report, format);
    if (values.output) {
      const target = userPath(values.output);
      const tmp = `${target}.tmp-${process.pid}`;
      await writeFile(tmp, text);
      await rename(tmp, target);
    } else io.stdout.write(text);
    return report.findings.some((f) => f.severity === 'error') ? EXIT.failure : EXIT.ok;
  },
};
