// Bundles an app's entry point into one ESM file for the container image (esbuild), so the
// image needs no node_modules. CLI: node ../shared/src/bundle.ts <entry> <outfile> (from an app dir).
import { resolve } from 'node:path';
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

if (import.meta.main) {
  const [entry, outfile] = process.argv.slice(2);
  if (!entry || !outfile) {
    console.error('usage: bundle.ts <entry.ts> <outfile.mjs>');
    process.exit(2);
  }
  console.log(`bundled ${await bundleApp(resolve(entry), resolve(outfile))}`);
}
