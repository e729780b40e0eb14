import type { Command } from '../command.ts';

/** A subcommand as the usage lists it; its module (and whatever it imports) loads only when it runs. */
export interface CommandEntry {
  summary: string;
  load(): Promise<Command>;
}

// Register a subcommand here; no placeholders: a command is listed once it works. Imports stay lazy so
// `validate` does not pay for the doctor's, the harness's or the benchmark's modules at start-up.
export const commands: Record<string, CommandEntry> = {
  bench: {
    summary: 'mTLS overhead benchmark on the clusters (--plan), analyze k6 output, render the report',
    load: async () => (await import('./bench.ts')).bench,
  },
  check: {
    summary: 'Check rendered cluster YAML (schemas, references, security, mesh, Flux)',
    load: async () => (await import('./check.ts')).check,
  },
  e2e: {
    summary: 'prove the clusters on kind (--plan shows the steps)',
    load: async () => (await import('./e2e.ts')).e2e,
  },
  render: {
    summary: 'render Flux, mesh and app manifests per cluster into clusters/',
    load: async () => (await import('./render.ts')).render,
  },
  schemas: {
    summary: 'Sync the pinned upstream CRD schemas into the local cache',
    load: async () => (await import('./schemas.ts')).schemas,
  },
  validate: {
    summary: 'check the platform spec and list every problem with its path',
    load: async () => (await import('./validate.ts')).validate,
  },
};
