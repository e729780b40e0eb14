// Turn a Kubernetes structural OpenAPI v3 schema into a JSON Schema that Ajv enforces the way the
// API server does with strict field validation: unknown fields are errors unless the schema says
// `x-kubernetes-preserve-unknown-fields`.
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

// Keys that only document or default a field; dropping them keeps the cached schemas small.
const DROP = new Set(['description', 'default', 'example', 'externalDocs', 'x-kubernetes-validations']);

// Fields the API server adds to every embedded resource and to the root object.
const EMBEDDED_META: Obj = {
  apiVersion: { type: 'string' },
  kind: { type: 'string' },
  metadata: { type: 'object' },
};

function convert(node: unknown, formats: Set<string>): unknown {
  if (Array.isArray(node)) return node.map((n) => convert(n, formats));
  if (!isObj(node)) return node;
  const out: Obj = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROP.has(key) || key.startsWith('x-kubernetes-')) continue;
    if (key === 'properties' && isObj(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v, formats)]));
    } else if (key === 'enum' || key === 'required') out[key] = value;
    else out[key] = convert(value, formats);
  }
  if (typeof out.format === 'string') formats.add(out.format);
  if (node['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    delete out.format;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (node['x-kubernetes-embedded-resource'] === true) {
    out.properties = { ...EMBEDDED_META, ...(isObj(out.properties) ? out.properties : {}) };
    out.required = [...new Set([...(Array.isArray(out.required) ? out.required : []), 'apiVersion', 'kind'])];
  }
  if (out.type === 'object' && !preserve && out.additionalProperties === undefined)
    out.additionalProperties = false;
  if (node.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  }
  return out;
}

export interface ConvertedSchema {
  schema: Obj;
  formats: string[];
}

/** Convert the root schema of one kind version; the root always accepts apiVersion/kind/metadata. */
export function toAjvSchema(root: Obj): ConvertedSchema {
  const formats = new Set<string>();
  const schema = convert(root, formats) as Obj;
  const props = isObj(schema.properties) ? schema.properties : {};
  // The API server validates metadata itself (ObjectMeta), not through the CRD schema.
  schema.properties = { ...props, ...EMBEDDED_META };
  schema.type = 'object';
  schema.required = [
    ...new Set([...(Array.isArray(schema.required) ? schema.required : []), 'apiVersion', 'kind']),
  ];
  if (root['x-kubernetes-preserve-unknown-fields'] !== true) schema.additionalProperties = false;
  return { schema, formats: [...formats].sort() };
}
