// Linkerd denies by default in two ways: the `deny` default inbound policy, or an authenticated-only
// default where every declared container port has a Server (whose own accessPolicy defaults to deny),
// so nothing reaches a pod without an explicit authorization.
import { containers, get, helmValues, isObj, list, matchSelector, ofKind, podTemplates } from '../k8s.ts';
import { namespaceObject } from '../mesh.ts';
import type { ClusterSet } from '../model.ts';

const AUTHENTICATED_ONLY = new Set(['all-authenticated', 'cluster-authenticated']);

function everyPortHasDenyingServer(c: ClusterSet, ns: string): boolean {
  const servers = ofKind(c, 'Server', 'linkerd.io').filter(
    (s) => s.namespace === ns && (get(s.body, ['spec', 'accessPolicy']) ?? 'deny') === 'deny',
  );
  return podTemplates(c)
    .filter((t) => t.obj.namespace === ns)
    .every((t) =>
      containers(t)
        .filter((ct) => !ct.init)
        .every((ct) =>
          list(ct.c.ports)
            .filter(isObj)
            .every((port) =>
              servers.some((s) => {
                const want = get(s.body, ['spec', 'port']);
                return (
                  matchSelector(get(s.body, ['spec', 'podSelector']), t.labels) &&
                  (want === port.name || want === port.containerPort)
                );
              }),
            ),
        ),
    );
}

export function linkerdDeniesByDefault(c: ClusterSet, ns: string): boolean {
  const annotated = namespaceObject(c, ns)?.annotations['config.linkerd.io/default-inbound-policy'];
  const policy = annotated ?? get(helmValues(c, 'linkerd-control-plane'), ['proxy', 'defaultInboundPolicy']);
  if (policy === 'deny') return true;
  return typeof policy === 'string' && AUTHENTICATED_ONLY.has(policy) && everyPortHasDenyingServer(c, ns);
}
