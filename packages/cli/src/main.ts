#!/usr/bin/env node
// Entry point of the `meshproof` command. Each subcommand lives in commands/<name>.ts.
import { enableCompileCache } from 'node:module';

// Node strips the types of every .ts file it loads and compiles the result: about two thirds of a
// cold start. The compile cache keeps both on disk, keyed by each file's content, so only changed
// files pay again. Enabled before anything else is imported; a read-only checkout just runs uncached.
enableCompileCache(new URL('../../../.cache/node-compile', import.meta.url).pathname);
const { runCli } = await import('./cli.ts');

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
