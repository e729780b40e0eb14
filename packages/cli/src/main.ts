#!/usr/bin/env node
// Entry point of the `meshproof` command. Each subcommand lives in commands/<name>.ts.
import { runCli } from './cli.ts';

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
