// ConfigMaps and Secrets Flux reads at reconcile time: HelmRelease spec.valuesFrom and Kustomization
// spec.postBuild.substituteFrom (helm-controller v1.6.3 and kustomize-controller v1.9.4 CRDs: same
// namespace as the referring object, `optional: true` tolerates absence). A missing non-optional one
// stops the reconciliation.
import { get, isObj, list, named, ofKind } from '../k8s.ts';
import type { Check, ClusterSet, Issue, K8sObject, Path } from '../model.ts';
import { secretExists } from '../secrets.ts';

interface DataRef {
  obj: K8sObject;
  field: string;
  kind: string;
  name: string;
  path: Path;
}

function dataRefs(c: ClusterSet): DataRef[] {
  const out: DataRef[] = [];
  const add = (obj: K8sObject, field: string, path: Path) =>
    list(get(obj.body, path)).forEach((r, i) => {
      if (!isObj(r) || r.optional === true || typeof r.name !== 'string') return;
      if (r.kind !== 'ConfigMap' && r.kind !== 'Secret') return;
      out.push({ obj, field, kind: r.kind, name: r.name, path: [...path, i, 'name'] });
    });
  for (const hr of ofKind(c, 'HelmRelease', 'fluxcd.io')) add(hr, 'valuesFrom', ['spec', 'valuesFrom']);
  for (const ks of ofKind(c, 'Kustomization', 'kustomize.toolkit.fluxcd.io'))
    add(ks, 'substituteFrom', ['spec', 'postBuild', 'substituteFrom']);
  return out;
}

function missingData(c: ClusterSet): Issue[] {
  const secret = secretExists(c);
  return dataRefs(c)
    .filter((r) =>
      r.kind === 'Secret'
        ? !secret(r.obj.namespace, r.name)
        : !named(c, r.kind, r.obj.namespace, r.name).some((o) => o.apiVersion === 'v1'),
    )
    .map((r) => ({
      obj: r.obj,
      path: r.path,
      message: `${r.field} names ${r.kind} ${r.obj.namespace}/${r.name}, which is not in the tree${
        r.kind === 'Secret'
          ? ' (Secrets are often created out of band, which the doctor cannot see: if this one is, say so with a `meshproof.dev/ignore: "REF030: <how it is created>"` annotation)'
          : ''
      }; Flux stops reconciling ${r.obj.kind} ${r.obj.name} until it exists`,
      absent: true,
    }));
}

export const fluxDataReferenceChecks: Check[] = [
  {
    id: 'REF030',
    severity: 'error',
    title: 'Flux values or substitution source missing',
    description:
      'A HelmRelease spec.valuesFrom or a Kustomization spec.postBuild.substituteFrom entry names a ConfigMap or Secret that is not in the tree (nor a Secret a SealedSecret, ExternalSecret or Certificate in it creates) and is not marked `optional: true`, so the reconciliation fails. Graded like every out-of-tree reference: an error only in a complete tree.',
    hint: 'Commit the ConfigMap/Secret in the referring object’s namespace (a SealedSecret or ExternalSecret for a secret), set `optional: true` if it may be absent, or annotate the referring object `meshproof.dev/ignore: "REF030: <reason>"` for a Secret made out of band.',
    run: ({ cluster }) => missingData(cluster),
  },
];
