import { printCaveats } from '../caveats.ts';
import { type Command, parseFlags } from '../command.ts';
import { configFlag, loadConfigOrThrow } from '../config.ts';
import { EXIT } from '../io.ts';

const help = `Usage: meshproof validate [--config FILE]

Checks the platform spec (default meshproof.config.ts) and lists every problem with its path, then
warns about spec fields some cluster's mesh cannot apply (the exit code stays 0 for those).
  -c, --config FILE   spec to read (.ts/.js module with a default export, or .json)
Exit codes: 0 valid, 2 invalid spec or bad usage.
`;

export const validate: Command = {
  async run(argv, io) {
    const { values } = parseFlags(argv, configFlag);
    if (values.help) {
      io.stdout.write(help);
      return EXIT.ok;
    }
    const { platform, file } = await loadConfigOrThrow(values.config);
    const meshes = platform.clusters.map((c) => `${c.name} (${c.mesh})`).join(', ');
    io.stdout.write(
      `${file}: valid — ${platform.clusters.length} clusters: ${meshes}; ${platform.apps.length} apps\n`,
    );
    printCaveats(io, platform);
    return EXIT.ok;
  },
};
