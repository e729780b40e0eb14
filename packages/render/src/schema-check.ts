// Test-only: validates rendered custom resources against the pinned upstream CRDs (the schemas
// package compiles them from the offline mirror). Tests skip when no mirror is available.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  findMirror,
  findRepoRoot,
  MIRROR_ENV,
  openValidator,
  type SchemaValidator,
  syncSchemas,
} from '@meshproof/schemas';
import type { K8sObject } from './model.ts';

const mirror = findMirror(findRepoRoot(import.meta.dirname));

/** Skip reason for node:test when the upstream mirror is missing, else false. */
export const NO_UPSTREAM = mirror
  ? false
  : `no upstream mirror: set ${MIRROR_ENV} or place it at ../shared/upstream`;

let validator: Promise<SchemaValidator> | undefined;

/** One validator per test process, built from the mirror into a temporary cache. */
export function upstreamValidator(): Promise<SchemaValidator> {
  if (!mirror) throw new Error(String(NO_UPSTREAM));
  validator ??= mkdtemp(join(tmpdir(), 'meshproof-crds-')).then(async (cacheDir) => {
    await syncSchemas({ cacheDir, mirror });
    return openValidator(cacheDir);
  });
  return validator;
}

/** Every issue of every object, as `Kind/name path: message` lines (empty when all are valid). */
export async function schemaIssues(objects: readonly K8sObject[]): Promise<string[]> {
  const v = await upstreamValidator();
  const lines: string[] = [];
  for (const o of objects) {
    for (const issue of await v.validate(o as unknown as Record<string, unknown>)) {
      lines.push(`${o.kind}/${o.metadata?.name} ${issue.path.join('.')}: ${issue.message}`);
    }
  }
  return lines;
}
