// Built-in Kubernetes kinds are validated with kubernetes-models' generated validators, loaded on
// first use of each kind so a run only pays for the kinds it sees, plus the unknown-field check
// those validators lack (core-fields.ts).
import { unknownCoreFields } from './core-fields.ts';
export interface CoreIssue {
  path: (string | number)[];
  message: string;
  keyword: string;
}

interface ModelClass {
  apiVersion: string;
  kind: string;
  new (data: unknown): { validate(): void };
}

const SAFE_API_VERSION = /^(?:[a-z0-9.-]+\/)?v[0-9]+(?:(?:alpha|beta)[0-9]+)?$/;
const SAFE_KIND = /^[A-Z][A-Za-z0-9]*$/;
const cache = new Map<string, Promise<ModelClass | undefined>>();

async function load(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  if (!SAFE_API_VERSION.test(apiVersion) || !SAFE_KIND.test(kind)) return undefined;
  try {
    const mod = (await import(`kubernetes-models/${apiVersion}/${kind}`)) as Record<string, unknown>;
    const cls = mod[kind] as ModelClass | undefined;
    return cls && cls.apiVersion === apiVersion && cls.kind === kind ? cls : undefined;
  } catch {
    return undefined;
  }
}

export function coreModel(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  const key = `${apiVersion}/${kind}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = load(apiVersion, kind);
    cache.set(key, hit);
  }
  return hit;
}

interface AjvLikeError {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}

export const pointerToPath = (pointer: string): (string | number)[] =>
  pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));

/** Validation issues of one core object, or undefined when kubernetes-models does not know the kind. */
export async function validateCore(obj: {
  apiVersion: string;
  kind: string;
}): Promise<CoreIssue[] | undefined> {
  const Model = await coreModel(obj.apiVersion, obj.kind);
  if (!Model) return undefined;
  const unknown = (unknownCoreFields(obj) ?? []).map((path) => ({
    path,
    message: `unknown field "${String(path[path.length - 1])}"`,
    keyword: 'additionalProperties',
  }));
  try {
    new Model(obj).validate();
    return unknown;
  } catch (error) {
    const errors = (error as { errors?: AjvLikeError[] }).errors ?? [];
    if (errors.length === 0)
      return [...unknown, { path: [], message: (error as Error).message, keyword: 'invalid' }];
    return [
      ...unknown,
      ...errors.map((e) => ({
        path: pointerToPath(e.instancePath),
        message: e.message ?? e.keyword,
        keyword: e.keyword,
      })),
    ];
  }
}
