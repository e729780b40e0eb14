// kubernetes-models' generated validators check types but accept any extra field. The field names
// of every built-in kind are in its generated declaration files, so read them from there (lazily,
// per type) and report fields no type declares, as the API server's strict field validation does.
// Anything this reader does not recognise is treated as open: never a false "unknown field".
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

type FieldType =
  | { t: 'leaf' }
  | { t: 'object'; file: string; name: string }
  | { t: 'array'; of: FieldType }
  | { t: 'map'; of: FieldType };

/** Declared fields of one interface, or 'open' when they cannot be known. */
type Shape = Map<string, FieldType> | 'open';

interface DeclFile {
  path: string;
  /** Imported name -> module specifier. */
  imports: Map<string, string>;
  /** Exported alias -> local interface name. */
  aliases: Map<string, string>;
  lines: string[];
}

const files = new Map<string, DeclFile | undefined>();
const shapes = new Map<string, Shape>();

function readDecl(path: string): DeclFile | undefined {
  if (files.has(path)) return files.get(path);
  let decl: DeclFile | undefined;
  if (existsSync(path)) {
    const text = readFileSync(path, 'utf8');
    const imports = new Map<string, string>();
    for (const m of text.matchAll(/^import \{ ([^}]+) \} from "([^"]+)";$/gm)) {
      for (const name of (m[1] as string).split(',')) imports.set(name.trim(), m[2] as string);
    }
    const aliases = new Map<string, string>();
    for (const m of text.matchAll(/^export type \{ ([^}]+) \};$/gm)) {
      for (const part of (m[1] as string).split(',')) {
        const [local, alias] = part.trim().split(/\s+as\s+/);
        if (local && alias) aliases.set(alias, local);
      }
    }
    decl = { path, imports, aliases, lines: text.split('\n') };
  }
  files.set(path, decl);
  return decl;
}

// `@scope/pkg/sub/path` from a file inside node_modules: the package sits in an ancestor node_modules.
function packageFile(from: string, spec: string): string | undefined {
  const [scope, pkg, ...rest] = spec.split('/');
  let dir = dirname(realpathSync(from));
  for (;;) {
    const candidate = join(dir, 'node_modules', scope as string, pkg as string);
    if (existsSync(candidate)) return join(candidate, `${rest.join('/')}.d.ts`);
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function resolveRef(decl: DeclFile, name: string): FieldType {
  const spec = decl.imports.get(name);
  if (spec === undefined) return { t: 'object', file: decl.path, name };
  const file = spec.startsWith('.')
    ? join(dirname(decl.path), spec.replace(/\.js$/, '.d.ts'))
    : packageFile(decl.path, spec);
  return file ? { t: 'object', file, name } : { t: 'leaf' };
}

const OPEN: FieldType = { t: 'leaf' };

function parseType(decl: DeclFile, text: string): FieldType | undefined {
  const type = text.trim();
  if (
    /^(string|number|boolean)$/.test(type) ||
    /^"[^"]*"( \| "[^"]*")*$/.test(type) ||
    /\["(kind|apiVersion)"\]$/.test(type)
  ) {
    return { t: 'leaf' };
  }
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    const of = parseType(decl, array[1] as string);
    return of && { t: 'array', of };
  }
  if (/^I[A-Za-z0-9]+$/.test(type)) return resolveRef(decl, type);
  return undefined;
}

function parseInterface(decl: DeclFile, name: string): Shape {
  const start = decl.lines.findIndex((l) => l.startsWith(`export interface ${name} `));
  if (start < 0) return 'open';
  const header = decl.lines[start] as string;
  const props = new Map<string, FieldType>();
  if (/extends TypeMeta\b/.test(header)) {
    props.set('apiVersion', OPEN);
    props.set('kind', OPEN);
  } else if (/ extends /.test(header)) return 'open';
  for (let i = start + 1; i < decl.lines.length; i++) {
    const line = decl.lines[i] as string;
    if (line === '}') break;
    const m = /^ {4}"([^"]+)"\??: (.*);$/.exec(line) ?? /^ {4}"([^"]+)"\??: (\{)$/.exec(line);
    if (!m) continue;
    const field = m[1] as string;
    if (m[2] === '{') {
      const value = /^ {8}\[key: string\]: (.*);$/.exec(decl.lines[i + 1] ?? '');
      const of = value ? parseType(decl, value[1] as string) : undefined;
      props.set(field, of ? { t: 'map', of } : OPEN);
    } else props.set(field, parseType(decl, m[2] as string) ?? OPEN);
  }
  // An interface without fields stands for free-form JSON (RawExtension, FieldsV1).
  return props.size === 0 ? 'open' : props;
}

function shapeOf(ref: { file: string; name: string }): Shape {
  const key = `${ref.file}#${ref.name}`;
  let shape = shapes.get(key);
  if (!shape) {
    const decl = readDecl(ref.file);
    shape = decl ? parseInterface(decl, decl.aliases.get(ref.name) ?? ref.name) : 'open';
    shapes.set(key, shape);
  }
  return shape;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function walk(value: unknown, type: FieldType, path: (string | number)[], out: (string | number)[][]): void {
  if (type.t === 'array') {
    if (Array.isArray(value)) for (const [i, v] of value.entries()) walk(v, type.of, [...path, i], out);
  } else if (type.t === 'map') {
    if (isObj(value)) for (const [k, v] of Object.entries(value)) walk(v, type.of, [...path, k], out);
  } else if (type.t === 'object' && isObj(value)) {
    const shape = shapeOf(type);
    if (shape === 'open') return;
    for (const [k, v] of Object.entries(value)) {
      const field = shape.get(k);
      if (field) walk(v, field, [...path, k], out);
      else out.push([...path, k]);
    }
  }
}

/** Paths of fields that the kind's declarations do not define; undefined if the kind is unknown. */
export function unknownCoreFields(obj: {
  apiVersion: string;
  kind: string;
}): (string | number)[][] | undefined {
  let js: string;
  try {
    js = fileURLToPath(import.meta.resolve(`kubernetes-models/${obj.apiVersion}/${obj.kind}`));
  } catch {
    return undefined;
  }
  if (!existsSync(js)) return undefined;
  const out: (string | number)[][] = [];
  walk(obj, { t: 'object', file: js.replace(/\.js$/, '.d.ts'), name: `I${obj.kind}` }, [], out);
  return out;
}
