// Objects that are mappings but not well-formed Kubernetes objects: the API server refuses them, and
// other checks must be able to skip them rather than trip over them. Runs without the schema cache.
import { get, isObj, list } from '../k8s.ts';
import type { Check, Issue, K8sObject, Path } from '../model.ts';

interface Problem {
  path: Path;
  message: string;
}

/** What makes a CustomResourceDefinition unusable as a kind definition; [] when it is usable. */
export function crdProblems(body: unknown): Problem[] {
  const spec = get(body, ['spec']);
  if (!isObj(spec)) return [{ path: ['spec'], message: 'CustomResourceDefinition has no spec' }];
  const out: Problem[] = [];
  if (typeof spec.group !== 'string' || spec.group === '')
    out.push({ path: ['spec', 'group'], message: 'CustomResourceDefinition has no spec.group' });
  if (!isObj(spec.names)) out.push({ path: ['spec'], message: 'CustomResourceDefinition has no spec.names' });
  else
    for (const f of ['kind', 'plural'])
      if (typeof spec.names[f] !== 'string' || spec.names[f] === '')
        out.push({ path: ['spec', 'names'], message: `CustomResourceDefinition has no spec.names.${f}` });
  const versions = list(spec.versions);
  if (versions.length === 0)
    out.push({ path: ['spec'], message: 'CustomResourceDefinition has no spec.versions' });
  versions.forEach((v, i) => {
    if (!isObj(get(v, ['schema', 'openAPIV3Schema'])))
      out.push({
        path: ['spec', 'versions', i],
        message: `CustomResourceDefinition version ${String(get(v, ['name']) ?? i)} has no schema.openAPIV3Schema`,
      });
  });
  return out;
}

function problems(o: K8sObject): Problem[] {
  const out: Problem[] = [];
  if (o.apiVersion === '') out.push({ path: ['apiVersion'], message: 'object has no apiVersion' });
  if (o.kind === '') out.push({ path: ['kind'], message: 'object has no kind' });
  if (!isObj(o.body.metadata))
    out.push({ path: ['metadata'], message: `${o.kind || 'object'} has no metadata` });
  else if (o.name === '' && get(o.body, ['metadata', 'generateName']) === undefined)
    out.push({ path: ['metadata'], message: `${o.kind || 'object'} has no metadata.name` });
  if (o.kind === 'CustomResourceDefinition') out.push(...crdProblems(o.body));
  return out;
}

export const malformedChecks: Check[] = [
  {
    id: 'OBJ001',
    severity: 'error',
    title: 'Malformed object',
    description:
      'A document is a mapping but not a usable Kubernetes object: no apiVersion, kind or metadata.name, or a CustomResourceDefinition without spec.group, spec.names, spec.versions or a version schema. The API server refuses it; the doctor reports it and leaves it out of the CRD-based schema checks.',
    hint: 'Add the missing field; for a CRD, compare with the upstream chart or `kubectl get crd NAME -o yaml`.',
    run: ({ cluster }): Issue[] =>
      cluster.objects.flatMap((obj) => problems(obj).map((p) => ({ obj, path: p.path, message: p.message }))),
  },
];
