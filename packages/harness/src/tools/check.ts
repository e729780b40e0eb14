import { spawnSync } from 'node:child_process';

/** Binaries the kind e2e drives, with the argument that prints their version. */
export const E2E_TOOLS = [
  { name: 'docker', versionArgs: ['version', '--format', '{{.Server.Version}}'] },
  { name: 'kind', versionArgs: ['version'] },
  { name: 'kubectl', versionArgs: ['version', '--client=true'] },
  { name: 'flux', versionArgs: ['version', '--client'] },
  { name: 'helm', versionArgs: ['version', '--short'] },
] as const;

export interface ToolStatus {
  name: string;
  found: boolean;
  detail: string;
}

/** Runs each tool's version command; a tool that is missing or fails is reported with the reason. */
export function checkTools(
  tools: readonly { name: string; versionArgs: readonly string[] }[] = E2E_TOOLS,
): ToolStatus[] {
  return tools.map(({ name, versionArgs }) => {
    const run = spawnSync(name, [...versionArgs], { encoding: 'utf8', timeout: 10_000 });
    if (run.error)
      return {
        name,
        found: false,
        detail: (run.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not on PATH' : run.error.message,
      };
    if (run.status !== 0)
      return {
        name,
        found: false,
        detail: (run.stderr || run.stdout).trim().split('\n')[0] ?? `exit ${run.status}`,
      };
    return { name, found: true, detail: run.stdout.trim().split('\n')[0] ?? '' };
  });
}
