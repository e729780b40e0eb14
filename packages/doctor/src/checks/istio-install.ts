// Workloads and policies that rely on how istiod is installed: `image: auto` needs the injector to
// replace it (IST0146/0147, analyzers/injection/image-auto.go), and RequestAuthentication makes istiod
// fetch JWKS URLs, which it should not do for private addresses (IST0175, analyzers/authn).
import { containers, get, helmValues, list, ofKind, podTemplates } from '../k8s.ts';
import { istioMode, namespaceObject } from '../mesh.ts';
import type { Check, ClusterSet, Issue } from '../model.ts';

function imageAuto(c: ClusterSet): Issue[] {
  const out: Issue[] = [];
  for (const t of podTemplates(c)) {
    const auto = containers(t).filter((ct) => ct.c.image === 'auto');
    if (auto.length === 0) continue;
    const meta = [...t.specPath.slice(0, -1), 'metadata'];
    const podSays =
      get(t.obj.body, [...meta, 'labels', 'sidecar.istio.io/inject']) ??
      get(t.obj.body, [...meta, 'annotations', 'sidecar.istio.io/inject']);
    const ns = namespaceObject(c, t.obj.namespace);
    if (podSays === 'true' || (ns && istioMode(ns) === 'sidecar' && podSays !== 'false')) continue;
    // An opt-out wins over the namespace's label, so the message must not blame the namespace then.
    const why =
      podSays === 'false'
        ? 'the pod opts out of injection (sidecar.istio.io/inject: "false")'
        : `${ns ? `namespace ${ns.name} is not labelled for sidecar injection and ` : ''}the pod does not ask for it (sidecar.istio.io/inject: "true")`;
    for (const ct of auto)
      out.push({
        obj: t.obj,
        path: [...ct.path, 'image'],
        message: `${t.obj.kind} ${t.obj.name} container ${String(ct.c.name)} has image "auto", but ${why}: the image "auto" cannot be pulled`,
        absent: ns === undefined && podSays !== 'false',
      });
  }
  return out;
}

const BLOCKED = 'BLOCKED_CIDRS_IN_JWKS_URIS';

function jwksUnrestricted(c: ClusterSet): Issue[] {
  const values = helmValues(c, 'istiod');
  const blocked = get(values, ['env', BLOCKED]) ?? get(values, ['pilot', 'env', BLOCKED]);
  if (typeof blocked === 'string' && blocked.trim() !== '') return [];
  return ofKind(c, 'RequestAuthentication', 'istio.io').flatMap((ra) =>
    list(get(ra.body, ['spec', 'jwtRules'])).flatMap((rule, i) =>
      get(rule, ['jwks']) !== undefined
        ? []
        : [
            {
              obj: ra,
              path: ['spec', 'jwtRules', i],
              message: `RequestAuthentication ${ra.namespace}/${ra.name} makes istiod fetch JWKS for issuer ${String(get(rule, ['issuer']) ?? '?')}, and ${values ? 'the istiod HelmRelease sets' : 'no istiod HelmRelease here sets'} no ${BLOCKED}: any author of such a policy can make istiod request internal addresses`,
              absent: values === undefined,
            },
          ],
    ),
  );
}

export const istioInstallChecks: Check[] = [
  {
    id: 'IST146',
    severity: 'error',
    title: 'image: auto without sidecar injection',
    description:
      'A container with `image: auto` (the gateway-injection template) relies on the injector to set the real image; when neither the namespace (istio-injection/istio.io/rev) nor the pod (sidecar.istio.io/inject: "true") asks for injection, the pod tries to pull "auto" and never starts (istioctl IST0146/IST0147).',
    hint: 'Label the pod template sidecar.istio.io/inject: "true" (with inject.istio.io/templates: gateway), or the namespace for injection.',
    run: ({ cluster }) => imageAuto(cluster),
  },
  {
    id: 'IST175',
    severity: 'warning',
    title: 'istiod fetches JWKS from any address',
    description:
      "A RequestAuthentication with a jwksUri makes istiod fetch that URL; without BLOCKED_CIDRS_IN_JWKS_URIS in istiod's environment, whoever can write such a policy can point istiod at internal addresses (istioctl IST0175).",
    hint: 'Set env.BLOCKED_CIDRS_IN_JWKS_URIS in the istiod HelmRelease values (e.g. the cluster and node CIDRs), or inline the keys with jwtRules[].jwks.',
    run: ({ cluster }) => jwksUnrestricted(cluster),
  },
];
