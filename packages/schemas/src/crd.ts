// Pull the per-version OpenAPI schemas out of CustomResourceDefinition documents.
import { parseAllDocuments } from 'yaml';
import { reindentQuotedContinuations } from './yaml-compat.ts';

export interface KindSchema {
  group: string;
  version: string;
  kind: string;
  namespaced: boolean;
  served: boolean;
  deprecated: boolean;
  schema: Record<string, unknown>;
  /** Upstream file the CRD came from, for messages. */
  source: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Kind versions a CustomResourceDefinition object defines; [] for any other object. */
export function crdSchemasFromObject(crd: unknown, source: string): KindSchema[] {
  if (!isObj(crd) || crd.kind !== 'CustomResourceDefinition') return [];
  const spec = crd.spec;
  if (!isObj(spec) || !isObj(spec.names))
    throw new Error(`${source}: CustomResourceDefinition without spec.names`);
  const group = String(spec.group);
  const kind = String(spec.names.kind);
  const out: KindSchema[] = [];
  for (const v of Array.isArray(spec.versions) ? spec.versions : []) {
    if (!isObj(v)) continue;
    const schema = isObj(v.schema) && isObj(v.schema.openAPIV3Schema) ? v.schema.openAPIV3Schema : undefined;
    if (!schema) throw new Error(`${source}: ${kind} ${String(v.name)} has no openAPIV3Schema`);
    out.push({
      group,
      version: String(v.name),
      kind,
      namespaced: spec.scope !== 'Cluster',
      served: v.served !== false,
      deprecated: v.deprecated === true,
      schema,
      source,
    });
  }
  return out;
}

export function crdSchemasFromYaml(text: string, source: string): KindSchema[] {
  const out: KindSchema[] = [];
  for (const doc of parseAllDocuments(reindentQuotedContinuations(text))) {
    if (doc.errors.length > 0) throw new Error(`${source}: YAML error: ${doc.errors[0]?.message}`);
    out.push(...crdSchemasFromObject(doc.toJS({ maxAliasCount: -1 }), source));
  }
  return out;
}
