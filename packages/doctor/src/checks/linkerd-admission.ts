// What Linkerd's policy admission webhook refuses (linkerd/linkerd2 policy-controller admission: a
// Server whose podSelector and port repeat another Server's in the namespace; a network `except` the
// `cidr` does not contain). Flux's apply of the whole Kustomization then fails on it.
import { isIP } from 'node:net';
import { get, isObj, list, ofKind } from '../k8s.ts';
import type { Check, ClusterSet, Issue, K8sObject } from '../model.ts';

/** A label selector in a canonical form, so key order and an empty matchExpressions do not matter. */
function selectorKey(sel: unknown): string {
  const labels = get(sel, ['matchLabels']);
  const exprs = list(get(sel, ['matchExpressions']));
  return JSON.stringify([
    isObj(labels)
      ? Object.entries(labels)
          .map(([k, v]) => `${k}=${String(v)}`)
          .sort()
      : [],
    exprs.map((e) => JSON.stringify(e)).sort(),
  ]);
}

function duplicateServers(c: ClusterSet): Issue[] {
  const groups = new Map<string, K8sObject[]>();
  for (const s of ofKind(c, 'Server', 'linkerd.io')) {
    const port = get(s.body, ['spec', 'port']);
    const sel = get(s.body, ['spec', 'podSelector']) ?? get(s.body, ['spec', 'externalWorkloadSelector']);
    if (port === undefined) continue;
    const key = `${s.namespace}\0${JSON.stringify(port)}\0${selectorKey(sel)}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups.values()]
    .filter((g) => g.length > 1)
    .flatMap((g) =>
      g.map((s) => ({
        obj: s,
        path: ['spec', 'port'],
        message: `Servers ${g.map((o) => o.name).join(', ')} in namespace ${s.namespace} select the same pods and port ${String(get(s.body, ['spec', 'port']))}; Linkerd's admission webhook rejects all but the first ("identical server spec already exists")`,
      })),
    );
}

interface Net {
  bits: bigint;
  prefix: number;
  width: number;
}

function parseNet(text: string): Net | undefined {
  const [addr = '', len] = text.split('/');
  const family = isIP(addr);
  if (family === 0) return undefined;
  const width = family === 4 ? 32 : 128;
  const prefix = len === undefined ? width : Number(len);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > width) return undefined;
  let bits = 0n;
  if (family === 4) for (const part of addr.split('.')) bits = (bits << 8n) | BigInt(Number(part));
  else {
    const [head = '', tail = ''] = addr.includes('::') ? addr.split('::') : [addr, ''];
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const groups = addr.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
    for (const g of groups) bits = (bits << 16n) | BigInt(Number.parseInt(g, 16));
  }
  return { bits, prefix, width };
}

const contains = (outer: Net, inner: Net): boolean => {
  if (outer.width !== inner.width || inner.prefix < outer.prefix) return false;
  const shift = BigInt(outer.width - outer.prefix);
  return outer.bits >> shift === inner.bits >> shift;
};

function networkExceptions(c: ClusterSet): Issue[] {
  const out: Issue[] = [];
  for (const n of ofKind(c, 'NetworkAuthentication', 'linkerd.io')) {
    list(get(n.body, ['spec', 'networks'])).forEach((net, i) => {
      const cidrText = String(get(net, ['cidr']) ?? '');
      const cidr = parseNet(cidrText);
      if (!cidr) {
        out.push({
          obj: n,
          path: ['spec', 'networks', i, 'cidr'],
          message: `network cidr "${cidrText}" is not an IP network`,
        });
        return;
      }
      list(get(net, ['except'])).forEach((e, k) => {
        const except = parseNet(String(e));
        if (!except || !contains(cidr, except))
          out.push({
            obj: n,
            path: ['spec', 'networks', i, 'except', k],
            message: `NetworkAuthentication ${n.name}: except "${String(e)}" is not inside cidr ${cidrText}; the admission webhook rejects it`,
          });
      });
    });
  }
  return out;
}

export const linkerdAdmissionChecks: Check[] = [
  {
    id: 'LNK101',
    severity: 'error',
    title: 'Two Linkerd Servers for the same pods and port',
    description:
      "Servers in one namespace with the same podSelector and the same port are refused by Linkerd's policy admission webhook, so the Flux apply that carries the second one fails.",
    hint: 'Keep one Server per pod selector and port; attach more authorizations to it instead of adding a Server.',
    run: ({ cluster }) => duplicateServers(cluster),
  },
  {
    id: 'LNK102',
    severity: 'error',
    title: 'Linkerd network exception outside its CIDR',
    description:
      "A NetworkAuthentication network whose cidr is not an IP network, or whose except entry is not inside the cidr, is refused by Linkerd's policy admission webhook.",
    hint: 'Write cidr as an address/prefix and list only sub-networks of it under except.',
    run: ({ cluster }) => networkExceptions(cluster),
  },
];
