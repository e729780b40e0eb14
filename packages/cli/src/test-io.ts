import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
