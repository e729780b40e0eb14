// `meshproof schemas sync`: fetch the pinned upstream CRDs (or copy them from a mirror), verify
// their sha256 against the lock and build the schema cache `check` validates with.
import { existsSync, statSync } from 'node:fs';
import { defaultCacheDir, findRepoRoot, MIRROR_ENV, SyncError, syncSchemas } from '@meshproof/schemas';
import { type Command, parseFlags } from '../command.ts';
import { EXIT, type Io, UsageError } from '../io.ts';
import { userPath } from '../paths.ts';

const HELP = `Usage: meshproof schemas sync [--mirror DIR] [--cache DIR]

Downloads the upstream CRDs listed in packages/schemas/schemas.lock.json, verifies every sha256 and
writes the schema cache atomically (nothing is written when any file fails).

  --mirror DIR  copy from a directory laid out like the upstream mirror instead of downloading
                (default: $${MIRROR_ENV} when set)
  --cache DIR   cache directory (default: .cache/schemas in the repository)
Exit codes: 0 synced, 1 a download or checksum failed (nothing written), 2 bad usage or mirror path.
`;

function mirrorDir(flag: string | undefined): string | undefined {
  const fromEnv = process.env[MIRROR_ENV];
  const chosen = flag ?? (fromEnv || undefined);
  if (chosen === undefined) return undefined;
  const abs = userPath(chosen);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) {
    throw new UsageError(`mirror ${chosen} (from ${flag ? '--mirror' : MIRROR_ENV}) is not a directory`);
  }
  return abs;
}

export const schemas: Command = {
  async run(argv: string[], io: Io): Promise<number> {
    const { values, positionals } = parseFlags(
      argv,
      { mirror: { type: 'string' }, cache: { type: 'string' } },
      true,
    );
    if (values.help) {
      io.stdout.write(HELP);
      return EXIT.ok;
    }
    const [sub, ...extra] = positionals;
    if (sub !== 'sync')
      throw new UsageError(`expected the subcommand "sync"${sub ? `, got "${sub}"` : ''}\n\n${HELP}`);
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const cwd = process.cwd();
    const mirror = mirrorDir(values.mirror);
    const cacheDir = values.cache ? userPath(values.cache) : defaultCacheDir(findRepoRoot(cwd));
    try {
      const r = await syncSchemas({ cacheDir, mirror });
      io.stdout.write(
        `synced ${r.files} upstream files (${mirror ? `from mirror ${mirror}` : 'downloaded'}), ${r.kinds} kind versions into ${r.cacheDir}\n`,
      );
      return EXIT.ok;
    } catch (error) {
      if (error instanceof SyncError) {
        io.stderr.write(`meshproof schemas sync: ${error.message}\n`);
        return EXIT.failure;
      }
      throw error;
    }
  },
};
