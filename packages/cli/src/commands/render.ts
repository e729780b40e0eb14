import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  diffDir,
  flatten,
  isClean,
  renderPlatform,
  renderTargetProblem,
  replaceDir,
} from '@meshproof/render';
import { printCaveats } from '../caveats.ts';
import { type Command, parseFlags, RUN } from '../command.ts';
import { checkClusterFlag, configFlag, loadConfigOrThrow } from '../config.ts';
import { EXIT, UsageError } from '../io.ts';
import { userPath } from '../paths.ts';

const help = `Usage: meshproof render [--config FILE] [--out DIR] [--cluster NAME] [--check]

Renders Flux, mesh and app manifests for every cluster of the spec into DIR/<cluster>/.
  -c, --config FILE   spec to read (default meshproof.config.ts)
  -o, --out DIR       output folder (default clusters); replaced atomically
      --cluster NAME  render only this cluster
      --check         write nothing; exit 1 when files on disk differ from a fresh render
Exit codes: 0 ok, 1 drift or render failure, 2 bad spec or usage.
`;

const flags = {
  ...configFlag,
  out: { type: 'string', short: 'o' },
  cluster: { type: 'string' },
  check: { type: 'boolean' },
} as const;

/** Cluster folders under `target` that this render does not write. */
async function droppedClusters(target: string, rendered: Map<string, unknown>): Promise<string[]> {
  const entries = await readdir(target, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !rendered.has(e.name))
    .map((e) => e.name)
    .sort();
}

export const render: Command = {
  async run(argv, io) {
    const { values } = parseFlags(argv, flags);
    if (values.help) {
      io.stdout.write(help);
      return EXIT.ok;
    }
    const { platform } = await loadConfigOrThrow(values.config);
    checkClusterFlag(platform, values.cluster);
    const out = values.out ?? 'clusters';
    const outDir = values.out === undefined ? resolve(out) : userPath(out);
    let rendered: ReturnType<typeof renderPlatform>;
    try {
      rendered = renderPlatform(platform, values.cluster);
    } catch (error) {
      io.stderr.write(`render failed, nothing written: ${(error as Error).message}\n`);
      return EXIT.failure;
    }
    // One cluster replaces only its own folder; a full render owns the whole output folder.
    const [target, files] =
      values.cluster === undefined
        ? [outDir, flatten(rendered)]
        : [join(outDir, values.cluster), rendered.get(values.cluster) ?? new Map<string, string>()];
    const shown = values.cluster === undefined ? out : join(out, values.cluster);
    if (values.check) {
      const drift = await diffDir(target, files);
      if (isClean(drift)) {
        io.stdout.write(`${shown}: up to date (${files.size} files)\n`);
        return EXIT.ok;
      }
      const lines = [
        ...drift.drifted.map((p) => `  drifted  ${join(shown, p)}`),
        ...drift.missing.map((p) => `  missing  ${join(shown, p)}`),
        ...drift.extra.map((p) => `  extra    ${join(shown, p)}`),
      ];
      io.stderr.write(`${shown} is out of date; run \`${RUN} render\`:\n${lines.join('\n')}\n`);
      return EXIT.failure;
    }
    const problem = await renderTargetProblem(target, values.cluster === undefined ? 'tree' : 'cluster');
    if (problem) throw new UsageError(`--out: ${problem}`);
    // A full render owns the output folder: cluster folders the spec no longer has go away, and say so.
    const dropped = values.cluster === undefined ? await droppedClusters(target, rendered) : [];
    try {
      await replaceDir(target, files);
    } catch (error) {
      io.stderr.write(`render failed, nothing written: ${(error as Error).message}\n`);
      return EXIT.failure;
    }
    io.stdout.write(
      `rendered ${rendered.size} cluster${rendered.size === 1 ? '' : 's'} (${files.size} files) into ${shown}\n`,
    );
    for (const name of dropped)
      io.stdout.write(`removed ${join(shown, name)}/: no cluster "${name}" in the spec any more\n`);
    printCaveats(io, platform, values.cluster);
    return EXIT.ok;
  },
};
