// Whether a Secret will exist: committed as a Secret, or created at runtime by an object in the tree
// (a SealedSecret unseals into the Secret of its own name, an ExternalSecret writes spec.target.name,
// default its own name, a cert-manager Certificate writes spec.secretName).
import { get, named, ofKind } from './k8s.ts';
import type { ClusterSet } from './model.ts';

function generatedSecrets(c: ClusterSet): Set<string> {
  const out = new Set<string>();
  for (const s of ofKind(c, 'SealedSecret', 'bitnami.com')) out.add(`${s.namespace}/${s.name}`);
  for (const e of ofKind(c, 'ExternalSecret', 'external-secrets.io')) {
    const target = get(e.body, ['spec', 'target', 'name']);
    out.add(`${e.namespace}/${typeof target === 'string' ? target : e.name}`);
  }
  for (const cert of ofKind(c, 'Certificate', 'cert-manager.io')) {
    const secret = get(cert.body, ['spec', 'secretName']);
    if (typeof secret === 'string') out.add(`${cert.namespace}/${secret}`);
  }
  return out;
}

/** A lookup, built once per call, of Secrets that are in the tree or made by an object in it. */
export function secretExists(c: ClusterSet): (ns: string, name: string) => boolean {
  const generated = generatedSecrets(c);
  return (ns, name) =>
    generated.has(`${ns}/${name}`) || named(c, 'Secret', ns, name).some((o) => o.apiVersion === 'v1');
}
