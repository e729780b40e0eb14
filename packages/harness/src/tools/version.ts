import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { ToolPin } from './pins.ts';

/** The first executable file called `name` in a PATH string. */
export function findOnPath(name: string, pathEnv: string | undefined): string | undefined {
  for (const dir of (pathEnv ?? '').split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return file;
    } catch {}
  }
  return undefined;
}

export type Probe = { version: string } | { version?: undefined; detail: string };

/** Runs the tool's version command and reads its version, or says why it could not. */
export function probeVersion(file: string, pin: ToolPin, env: NodeJS.ProcessEnv = process.env): Probe {
  const run = spawnSync(file, [...pin.versionArgs], { encoding: 'utf8', timeout: 15_000, env });
  if (run.error) return { detail: run.error.message };
  const output = `${run.stdout}\n${run.stderr}`;
  const version = pin.parseVersion(output);
  if (version) return { version };
  const first = output.trim().split('\n')[0] ?? '';
  return { detail: `\`${pin.versionArgs.join(' ')}\` exited ${run.status} printing "${first}"` };
}
