// Building, starting and stopping the source server container. Pods reach it by its container name:
// kind's node entrypoint (kubernetes-sigs/kind, images/base/files/usr/local/bin/entrypoint,
// enable_network_magic) points each node's resolv.conf at the Docker host and DNATs that to Docker's
// embedded DNS, explicitly for traffic from pods too; CoreDNS forwards to the node's resolv.conf, so
// a name on the `kind` network resolves in every pod. The same pattern serves Flux from a registry
// container in stefanprodan/flux-local-dev (see ../shared reference notes, "Options for pnpm e2e").
import type { HostTool } from '../step.ts';
import { type Exec, output } from './exec.ts';

export const SOURCE_IMAGE = 'meshproof/git-source:local';
export const SOURCE_PORT = 8080;
/** The one repository the server serves; the bare repository is mounted under this name. */
export const REPO_NAME = 'meshproof.git';
const MOUNT = `/srv/git/${REPO_NAME}`;
const DOCKERFILE = 'packages/harness/images/source/Dockerfile';
/** The build context holds only the server program (and its neighbours), nothing of the checkout. */
const CONTEXT = 'packages/harness/src/source';
const READY_LINE = 'git-http-server: listening';

export const sourceContainerName = (cluster: string): string => `meshproof-source-${cluster}`;

/** The URL Flux's GitRepository uses (its CRD accepts only http, https and ssh URLs). */
export const sourceUrl = (host: string): string => `http://${host}:${SOURCE_PORT}/${REPO_NAME}`;

/**
 * `docker build` of the server image, run from the repository root. Without bases the Dockerfile's
 * pinned public ones are used; offline machines pass local ones (see the Dockerfile's header).
 */
export function buildImageArgv(
  opts: { tag?: string; baseImage?: string; gitImage?: string } = {},
): [HostTool, ...string[]] {
  const args = (name: string, value: string | undefined) =>
    value ? ['--build-arg', `${name}=${value}`] : [];
  return [
    'docker',
    'build',
    '--file',
    DOCKERFILE,
    '--tag',
    opts.tag ?? SOURCE_IMAGE,
    ...args('BASE_IMAGE', opts.baseImage),
    ...args('GIT_IMAGE', opts.gitImage),
    CONTEXT,
  ];
}

export interface StartOptions {
  name: string;
  network: string;
  image: string;
  /** Absolute path of the bare repository on the host; mounted read-only. */
  repo: string;
}

/** `docker run` of the server the way the demo apps run: non-root, read-only root FS, no capabilities, no published port. */
export function startArgv(opts: StartOptions): [HostTool, ...string[]] {
  if (opts.repo.includes(',') || !opts.repo.startsWith('/'))
    throw new Error(
      `the source repository path must be absolute and without commas (docker --mount): ${opts.repo}`,
    );
  return [
    'docker',
    'run',
    '--detach',
    '--name',
    opts.name,
    '--network',
    opts.network,
    '--label',
    'org.meshproof.role=git-source',
    '--read-only',
    '--cap-drop',
    'ALL',
    '--security-opt',
    'no-new-privileges',
    '--user',
    '65532:65532',
    '--mount',
    `type=bind,source=${opts.repo},target=${MOUNT},readonly`,
    opts.image,
  ];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the server and waits until it listens. Refuses to replace a container of the same name (a
 * crashed run or a concurrent one): the message says how to remove it. Returns the URL pods use.
 */
export async function startSourceServer(
  exec: Exec,
  opts: StartOptions & { readyTimeoutMs?: number },
): Promise<{ name: string; url: string }> {
  const existing = await exec(['docker', 'container', 'inspect', '--format', '{{.State.Status}}', opts.name]);
  if (existing.code === 0)
    throw new Error(
      `a container named ${opts.name} already exists (${existing.stdout.trim()}); a previous run left it or another run uses it. Remove it with: docker rm -f ${opts.name}`,
    );
  await output(exec, startArgv(opts));
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 15_000);
  for (;;) {
    const logs = await exec(['docker', 'logs', opts.name]);
    if (logs.stdout.includes(READY_LINE)) return { name: opts.name, url: sourceUrl(opts.name) };
    const state = await output(exec, [
      'docker',
      'container',
      'inspect',
      '--format',
      '{{.State.Status}}',
      opts.name,
    ]);
    if (state !== 'running' || Date.now() > deadline) {
      const said = `${logs.stdout}${logs.stderr}`.trim() || '(no output)';
      await stopSourceServer(exec, opts.name);
      throw new Error(
        `source server ${opts.name} did not start listening (${state === 'running' ? 'timed out' : `container ${state}`}); its output:\n${said}`,
      );
    }
    await sleep(200);
  }
}

/** Removes the container; a container that is already gone is fine. Returns whether one was removed. */
export async function stopSourceServer(exec: Exec, name: string): Promise<boolean> {
  // `docker rm --force` of a missing container exits 0 on some engines: ask first.
  const present = await exec(['docker', 'container', 'inspect', '--format', '{{.Id}}', name]);
  if (present.code !== 0) return false;
  await output(exec, ['docker', 'rm', '--force', '--volumes', name]);
  return true;
}
