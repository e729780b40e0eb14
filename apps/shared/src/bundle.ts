// Bundles an app's entry point into one ESM file for the container image (esbuild), so the
// image needs no node_modules. CLI (from an app dir): node ../shared/src/bundle.ts <entry> <outfile>,
// or --image <app dir> for everything the image ships (bundleImage).
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export async function bundleApp(entry: string, outfile: string): Promise<string> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: false, // stack traces in production logs stay readable
    legalComments: 'none',
    logLevel: 'warning',
  });
  return outfile;
}

/**
 * The e2e runner's in-pod request client (packages/harness/src/probes/client.ts). Both images ship
 * it as /app/probe.mjs so that `kubectl exec` can send a request with an app's own identity.
 */
export const PROBE_CLIENT = fileURLToPath(
  new URL('../../../packages/harness/src/probes/client.ts', import.meta.url),
);

/** What apps/images/Dockerfile copies: <app>/dist/server.mjs and <app>/dist/probe.mjs. */
export async function bundleImage(appDir: string): Promise<string[]> {
  return Promise.all([
    bundleApp(join(appDir, 'src/main.ts'), join(appDir, 'dist/server.mjs')),
    bundleApp(PROBE_CLIENT, join(appDir, 'dist/probe.mjs')),
  ]);
}

if (import.meta.main) {
  const [entry, outfile] = process.argv.slice(2);
  if (entry === '--image' && outfile) {
    for (const file of await bundleImage(resolve(outfile))) console.log(`bundled ${file}`);
    process.exit(0);
  }
  if (!entry || !outfile) {
    console.error('usage: bundle.ts <entry.ts> <outfile.mjs>');
    process.exit(2);
  }
  console.log(`bundled ${await bundleApp(resolve(entry), resolve(outfile))}`);
}
