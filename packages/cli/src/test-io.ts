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
