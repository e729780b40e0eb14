// Shared by the tests that run the real source server (source.test.ts, canary/publish.test.ts): the
// local base images, a Docker check, and a Git client in a second container on the test network.
import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostTool } from '../step.ts';
import { type Exec, output } from './exec.ts';
import { stopSourceServer } from './server.ts';

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const BASE_IMAGE = process.env.BASE_IMAGE ?? 'meshproof/base-node24:local';
export const GIT_IMAGE = process.env.GIT_IMAGE ?? 'meshproof/base-node24-git:local';

/** Why the server can't be tested here, or undefined when a Docker engine answers. */
export const dockerProblem = (): string | undefined => {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 });
    return undefined;
  } catch {
    return 'no Docker engine reachable; CI starts one with scripts/ci-setup.sh';
  }
};

/** Builds the local Node base and the merged-/usr Git base unless given through the environment. */
export function ensureSourceBases(): void {
  const bases = [
    [BASE_IMAGE, process.env.BASE_IMAGE, {}],
    [GIT_IMAGE, process.env.GIT_IMAGE, { EXTRA_PACKAGES: 'git', MERGED_USR: '1' }],
  ] as const;
  for (const [tag, given, env] of bases)
    if (!given)
      execFileSync('bash', [join(ROOT, 'apps/images/build-base.sh'), tag], {
        stdio: 'inherit',
        env: { ...process.env, ...env },
      });
}

/** `git ARGS` in a second container on `network`, working in the host folder `clientDir` (mounted at /client). */
export const clientGitArgv = (
  network: string,
  clientDir: string,
  ...args: string[]
): [HostTool, ...string[]] => [
  'docker',
  'run',
  '--rm',
  '--network',
  network,
  '--user',
  `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`,
  '--mount',
  `type=bind,source=${clientDir},target=/client`,
  '--env',
  'HOME=/client',
  '--entrypoint',
  '/usr/bin/git',
  GIT_IMAGE,
  ...args,
];

/** Removes a test's server container, network, image and scratch folder; returns what is still there. */
export async function removeSourceTest(
  exec: Exec,
  t: { server: string; network: string; image: string; scratch: string },
): Promise<string> {
  await stopSourceServer(exec, t.server).catch(() => {});
  // Docker may still be releasing the server's endpoint right after the container is removed.
  for (let i = 0; i < 10; i++) {
    const r = await exec(['docker', 'network', 'rm', t.network]);
    if (r.code === 0 || /not found/i.test(r.stderr)) break;
    await new Promise((ok) => setTimeout(ok, 300));
  }
  await exec(['docker', 'image', 'rm', '--force', t.image]);
  if (t.scratch) await rm(t.scratch, { recursive: true, force: true });
  const left = await output(exec, ['docker', 'ps', '--all', '--quiet', '--filter', `name=^/${t.server}$`]);
  const nets = await output(exec, ['docker', 'network', 'ls', '--quiet', '--filter', `name=^${t.network}$`]);
  return left || nets ? `container ${left || '-'}, network ${nets || '-'}` : '';
}
