import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runCli } from './cli.ts';

/** Runs the CLI in-process and captures what it prints. */
export async function runCaptured(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

/** A small JSON spec in `dir` (one app) with the given clusters; returns its path. */
export function writeSpec(dir: string, clusters: { name: string; mesh: string }[]): string {
  const config = join(dir, 'spec.json');
  const app = {
    name: 'web',
    namespace: 'shop',
    image: 'example/web:1.0.0',
    port: 8080,
    versions: [{ name: 'v1', weight: 100 }],
  };
  writeFileSync(config, JSON.stringify({ clusters, apps: [app] }));
  return config;
}

/**
 * Runs the real CLI twice in a child process with only node on PATH (no docker): once with `--plan --json`, once for
 * real, so the run stops at its first prerequisite before anything is built or created.
 */
export function planThenRunWithoutDocker(
  root: string,
  args: string[],
): { printed: SpawnSyncReturns<string>; ran: SpawnSyncReturns<string> } {
  const env = { ...process.env, PATH: dirname(process.execPath), CI: 'true' };
  const printed = spawnSync(process.execPath, [...args, '--plan', '--json'], {
    cwd: root,
    env,
    encoding: 'utf8',
  });
  // The run stops at its first prerequisite in about 10 s; the cap only catches a hang, and is wide
  // because a starved machine (load average 40+ on 2 cores) took over 60 s.
  const ran = spawnSync(process.execPath, args, { cwd: root, env, encoding: 'utf8', timeout: 300_000 });
  return { printed, ran };
}
