import type { z } from 'zod';
import { platformSchema } from './schema.ts';
import { didYouMean } from './suggest.ts';
import type { SpecError } from './types.ts';

type Path = readonly PropertyKey[];

/** `clusters[2].mesh` from ['clusters', 2, 'mesh']. */
export function formatPath(path: Path): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

const describe = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
};

// Walks zod's definition tree from `root` to the object schema at `path`, to list its fields for a
// "did you mean". A schema it cannot walk (a lazy or a union, say) yields no fields, so no list.
function fieldsAt(root: z.ZodType, path: Path): string[] {
  let def = unwrap(root);
  for (const part of path) {
    if (def.type === 'array') def = unwrap(def.element);
    else if (def.type === 'object') def = unwrap(def.shape[part]);
    else if (def.type === 'record') def = unwrap(def.valueType);
    else return [];
  }
  return def.type === 'object' ? Object.keys(def.shape) : [];
}

// optional(), default() and the like wrap the schema that has the shape.
// biome-ignore lint/suspicious/noExplicitAny: zod's internal definition tree is untyped here.
function unwrap(schema: any): any {
  let def = schema._zod.def;
  while (def.innerType) def = def.innerType._zod.def;
  return def;
}

function toErrors(issue: z.core.$ZodIssue, root: z.ZodType): SpecError[] {
  const path = formatPath(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = fieldsAt(root, issue.path);
      const choices = known.length > 0 ? `; expected one of ${known.join('|')}` : '';
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key]),
        message: `unknown field "${key}"${didYouMean(key, known)}${choices}`,
      }));
    }
    case 'invalid_value': {
      const values = issue.values.map(String);
      const got = issue.input;
      const hint = typeof got === 'string' ? didYouMean(got, values) : '';
      return [{ path, message: `expected one of ${values.join('|')}; got ${describe(got)}${hint}` }];
    }
    case 'invalid_type':
      return [{ path, message: `expected ${issue.expected}; got ${describe(issue.input)}` }];
    case 'invalid_key': {
      // zod puts the key at the end of the path and its problems in nested issues; name the record
      // and the key, so an empty key does not read as a dangling "labels." and a custom message shows.
      const at = formatPath(issue.path.slice(0, -1));
      return issue.issues
        .flatMap((nested) => toErrors(nested, root))
        .map((nested) => ({
          path: at,
          message: `key ${describe(issue.input)}: ${nested.message}`,
        }));
    }
    // An exclusive bound (z.int().positive() is "> 0") must not read as "at least 0".
    case 'too_small': {
      const relation = issue.inclusive === false ? 'greater than' : 'at least';
      return [{ path, message: bound(issue.origin, relation, issue.minimum, issue.input) }];
    }
    case 'too_big': {
      const relation = issue.inclusive === false ? 'less than' : 'at most';
      return [{ path, message: bound(issue.origin, relation, issue.maximum, issue.input) }];
    }
    default:
      return [{ path, message: issue.message }];
  }
}

function bound(origin: string, relation: string, limit: number | bigint, input: unknown): string {
  if (origin === 'array')
    return `expected ${relation} ${limit} item(s); got ${Array.isArray(input) ? input.length : 0}`;
  if (origin === 'string') return `expected ${relation} ${limit} character(s); got ${describe(input)}`;
  return `expected a number ${relation} ${limit}; got ${describe(input)}`;
}

/** Our messages for zod's issues; `root` is the schema they came from (field names for suggestions). */
export const issuesToErrors = (
  issues: readonly z.core.$ZodIssue[],
  root: z.ZodType = platformSchema,
): SpecError[] => issues.flatMap((issue) => toErrors(issue, root));
