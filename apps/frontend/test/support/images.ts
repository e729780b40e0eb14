// Builds the demo app images from their Dockerfiles on top of the local base image, the way CI
// does: bundle with esbuild, then `docker build` with BASE_IMAGE set.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bundleImage } from '@meshproof-app/shared/bundle';
import type { StartedNetwork, StartedTestContainer } from 'testcontainers';
import { GenericContainer, getContainerRuntimeClient } from 'testcontainers';

const APPS = fileURLToPath(new URL('../../../', import.meta.url));
export const BASE_IMAGE = process.env.BASE_IMAGE ?? 'meshproof/base-node24:local';

/** Why container tests can't run here, or undefined when a Docker engine answers. */
export async function dockerProblem(): Promise<string | undefined> {
  try {
    await getContainerRuntimeClient();
    return undefined;
  } catch (err) {
    return `no Docker engine reachable (${String(err).split('\n')[0]}); CI starts one with scripts/ci-setup.sh`;
  }
}

/** Makes sure the local base exists: the script is a no-op when the image is already there. */
export function ensureBaseImage(): void {
  if (process.env.BASE_IMAGE) return; // a caller-provided base (e.g. real distroless) is used as is
  execFileSync('bash', [`${APPS}images/build-base.sh`, BASE_IMAGE], { stdio: 'inherit' });
}

export async function buildAppImage(app: 'backend' | 'frontend', tag: string): Promise<string> {
  const dir = `${APPS}${app}`;
  await bundleImage(dir);
  // One Dockerfile for both apps; the context is apps/ and its .dockerignore keeps it to the bundles.
  await GenericContainer.fromDockerfile(APPS, 'images/Dockerfile')
    .withBuildArgs({ BASE_IMAGE, APP: app })
    .build(tag, { deleteOnExit: false });
  return tag;
}

/** A container started the way the generated Deployments run it: read-only root FS, no capabilities. */
export class HardenedContainer extends GenericContainer {
  constructor(image: string) {
    super(image);
    this.hostConfig.ReadonlyRootfs = true;
    this.withDroppedCapabilities('ALL').withSecurityOpt('no-new-privileges');
  }
}

/** Removes the containers (volumes included) and then the network; what is already gone is fine. */
export async function removeAll(
  containers: readonly StartedTestContainer[],
  network?: StartedNetwork,
): Promise<void> {
  const client = await getContainerRuntimeClient();
  await Promise.all(
    containers.map((c) =>
      client.container
        .getById(c.getId())
        .remove({ force: true })
        .catch(() => {}),
    ),
  );
  await network?.stop();
}
