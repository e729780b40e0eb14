// The demo images: built once per run from this checkout (each app's esbuild bundle, then
// apps/images/Dockerfile), before any cluster exists; every kind cluster then loads them.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App, Platform } from '@meshproof/spec';
import { type HostTool, run, type Step, step } from '../step.ts';

/** Every image the spec's apps run, sorted. */
export const appImages = (platform: Platform): string[] =>
  [...new Set(platform.apps.flatMap(imagesOf))].sort();

const imagesOf = (app: App) => [app.image, ...app.versions.flatMap((v) => (v.image ? [v.image] : []))];

// The app's own `build` script, when it is one plain `node …` command (no shell), becomes an argv.
function bundleArgv(root: string, app: string): [HostTool, ...string[]] | string {
  const file = join(root, 'apps', app, 'package.json');
  const script = (JSON.parse(readFileSync(file, 'utf8')) as { scripts?: { build?: string } }).scripts?.build;
  const words = script?.trim().split(/\s+/) ?? [];
  if (words[0] !== 'node' || words.some((w) => /[^\w@%+=:,./-]/.test(w)))
    return `apps/${app}/package.json: scripts.build must be one plain \`node …\` command, got ${JSON.stringify(script)}`;
  return words as [HostTool, ...string[]];
}

/**
 * One build step per app with a folder under apps/; an app without one must already be in the local
 * Docker engine (kind load then fails naming it). `baseImage` overrides the Dockerfile's BASE_IMAGE.
 */
export function imageSteps(
  root: string,
  platform: Platform,
  baseImage: string | undefined,
): { steps: Step[]; problems: string[] } {
  const problems: string[] = [];
  const steps = platform.apps
    .filter((app) => existsSync(join(root, 'apps', app.name, 'package.json')))
    .flatMap((app) => {
      const bundle = bundleArgv(root, app.name);
      if (typeof bundle === 'string') {
        problems.push(bundle);
        return [];
      }
      const tags = imagesOf(app).flatMap((image) => ['-t', image]);
      const base = baseImage ? ['--build-arg', `BASE_IMAGE=${baseImage}`] : [];
      return [
        step({
          id: `run/images/${app.name}`,
          cluster: null,
          title: `build ${imagesOf(app).join(', ')} from apps/${app.name}`,
          timeoutMs: 10 * 60_000,
          actions: [
            run(bundle, { cwd: `apps/${app.name}` }),
            run([
              'docker',
              'build',
              '-f',
              'apps/images/Dockerfile',
              '--build-arg',
              `APP=${app.name}`,
              ...base,
              ...tags,
              'apps',
            ]),
          ],
        }),
      ];
    });
  return { steps, problems };
}
