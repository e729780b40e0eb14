// Validate Kubernetes objects: custom resources against the synced upstream CRD schemas (compiled
// per kind version on first use), built-in kinds through kubernetes-models. A kind nobody knows
// is an issue, never a pass.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { type CachedSchema, type KindEntry, readManifest } from './cache.ts';
import { compileCached, standaloneOptions } from './compiled-cache.ts';
import { pointerToPath, validateCore } from './core-kinds.ts';
import { crdSchemasFromObject, type KindSchema } from './crd.ts';
import { sha256 } from './fetch-source.ts';
import { addFormat } from './formats.ts';
import { goRegExp } from './go-regexp.ts';
import { lockPath } from './lock.ts';
import { toAjvSchema } from './openapi.ts';

export type SchemaIssueKind = 'unknown-kind' | 'unknown-field' | 'invalid';

export interface SchemaIssue {
  kind: SchemaIssueKind;
  /** Where in the object the problem is (keys and indexes). */
  path: (string | number)[];
  message: string;
}

export interface SchemaValidator {
  validate(obj: Record<string, unknown>): Promise<SchemaIssue[]>;
  /** Number of kind versions the cache knows (CRDs only). */
  readonly kindCount: number;
}

function describe(e: ErrorObject): SchemaIssue {
  const path = pointerToPath(e.instancePath);
  if (e.keyword === 'additionalProperties') {
    const field = String((e.params as { additionalProperty: string }).additionalProperty);
    return { kind: 'unknown-field', path: [...path, field], message: `unknown field "${field}"` };
  }
  if (e.keyword === 'enum') {
    const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v));
    return { kind: 'invalid', path, message: `must be one of ${allowed.join(', ')}` };
  }
  return { kind: 'invalid', path, message: e.message ?? e.keyword };
}

function dedupe(issues: SchemaIssue[]): SchemaIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path.join('.')}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function createAjv(standalone = false): Ajv {
  return new Ajv({
    allErrors: true,
    strict: false,
    validateFormats: true,
    code: { regExp: Object.assign(goRegExp, { code: 'goRegExp' }), ...(standalone ? standaloneOptions : {}) },
  });
}

function run(fn: ValidateFunction, obj: unknown): SchemaIssue[] {
  return fn(obj) ? [] : dedupe((fn.errors ?? []).map(describe));
}

export interface LocalKinds {
  /** Issues of `obj` when one of the given CRDs defines its kind version, else undefined. */
  validate(obj: Record<string, unknown>): SchemaIssue[] | undefined;
}

/** Validators for CRDs that travel with the input (e.g. a chart's CRDs rendered into the repo). */
export function localKinds(crds: unknown[]): LocalKinds {
  const byKey = new Map<string, KindSchema>();
  for (const crd of crds)
    for (const k of crdSchemasFromObject(crd, 'input')) byKey.set(`${k.group}/${k.version}/${k.kind}`, k);
  const ajv = createAjv();
  const compiled = new Map<string, ValidateFunction>();
  return {
    validate(obj) {
      const key = `${String(obj.apiVersion)}/${String(obj.kind)}`;
      const k = byKey.get(key);
      if (!k) return undefined;
      let fn = compiled.get(key);
      if (!fn) {
        const { schema, formats } = toAjvSchema(k.schema);
        for (const f of formats) addFormat(ajv, f);
        fn = ajv.compile(schema);
        compiled.set(key, fn);
      }
      return run(fn, obj);
    },
  };
}

export function openValidator(cacheDir: string, lockFile: string = lockPath): SchemaValidator {
  const manifest = readManifest(cacheDir);
  if (manifest.lockSha256 !== sha256(readFileSync(lockFile))) {
    throw new Error(
      `schema cache at ${cacheDir} was built from another lock (run \`./dev meshproof schemas sync\` again)`,
    );
  }
  const byKey = new Map<string, KindEntry>();
  const groups = new Set<string>();
  for (const k of manifest.kinds) {
    byKey.set(`${k.group}/${k.version}/${k.kind}`, k);
    groups.add(k.group);
  }
  const ajv = createAjv(true);
  const compiled = new Map<string, ValidateFunction>();

  const compile = (entry: KindEntry): ValidateFunction => {
    const key = entry.file;
    let fn = compiled.get(key);
    if (!fn) {
      const text = readFileSync(join(cacheDir, entry.file), 'utf8');
      const cached = JSON.parse(text) as CachedSchema;
      for (const f of cached.formats) addFormat(ajv, f);
      fn = compileCached(ajv, cacheDir, text, cached.schema);
      compiled.set(key, fn);
    }
    return fn;
  };

  const validateCustom = (obj: Record<string, unknown>, group: string, version: string, kind: string) => {
    const entry = byKey.get(`${group}/${version}/${kind}`);
    if (!entry) {
      const served = manifest.kinds.filter((k) => k.group === group && k.kind === kind).map((k) => k.version);
      const message =
        served.length > 0
          ? `${kind} has no version ${version} in ${group} (known: ${served.join(', ')})`
          : `unknown kind ${kind} in API group ${group} (no CRD for it in the pinned upstream schemas)`;
      return [{ kind: 'unknown-kind' as const, path: ['kind'], message }];
    }
    return run(compile(entry), obj);
  };

  return {
    kindCount: manifest.kinds.length,
    async validate(obj) {
      const apiVersion = obj.apiVersion;
      const kind = obj.kind;
      if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !apiVersion || !kind) {
        return [{ kind: 'unknown-kind', path: [], message: 'document has no apiVersion and kind' }];
      }
      const slash = apiVersion.indexOf('/');
      const group = slash < 0 ? '' : apiVersion.slice(0, slash);
      const version = apiVersion.slice(slash + 1);
      if (groups.has(group)) return validateCustom(obj, group, version, kind);
      const core = await validateCore({ ...obj, apiVersion, kind });
      if (core === undefined) {
        return [{ kind: 'unknown-kind', path: ['kind'], message: `unknown kind ${kind} (${apiVersion})` }];
      }
      return dedupe(
        core.map((c) => ({
          kind: c.keyword === 'additionalProperties' ? ('unknown-field' as const) : ('invalid' as const),
          path: c.path,
          message: c.message,
        })),
      );
    },
  };
}
