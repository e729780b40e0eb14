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

// Walks zod's definition tree to the object schema at `path`, to suggest field names.
function fieldsAt(path: Path): string[] {
  // biome-ignore lint/suspicious/noExplicitAny: zod's internal definition tree is untyped here.
  let node: any = platformSchema;
  const unwrap = () => {
    while (node?._zod?.def?.innerType) node = node._zod.def.innerType;
  };
  unwrap();
  for (const part of path) {
    const def = node?._zod?.def;
    if (def?.type === 'array') node = def.element;
    else if (def?.type === 'object') node = def.shape?.[part as string];
    else if (def?.type === 'record') node = def.valueType;
    else return [];
    unwrap();
  }
  const def = node?._zod?.def;
  return def?.type === 'object' ? Object.keys(def.shape) : [];
}

function toErrors(issue: z.core.$ZodIssue): SpecError[] {
  const path = formatPath(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = fieldsAt(issue.path);
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key]),
        message: `unknown field "${key}"${didYouMean(key, known)}; expected one of ${known.join('|')}`,
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
      return issue.issues.flatMap(toErrors).map((nested) => ({
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

export const issuesToErrors = (issues: readonly z.core.$ZodIssue[]): SpecError[] => issues.flatMap(toErrors);
