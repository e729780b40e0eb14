// What Linkerd's policy admission webhook refuses (linkerd/linkerd2 policy-controller/src/admission.rs:
// a Server on the same port as another Server of the namespace whose selector, of the same kind (pods or
// external workloads), is equal to it or selects everything; in a NetworkAuthentication, EgressNetwork or
// ServerAuthorization client, a `cidr` that is no network, an `except` the `cidr` does not contain or one
// that covers all of it, and an empty NetworkAuthentication or EgressNetwork `networks`). Flux's apply of
// the whole Kustomization then fails on it.
import { isIP } from 'node:net';
import { get, isObj, list, ofKind } from '../k8s.ts';
import type { Check, ClusterSet, Issue, K8sObject } from '../model.ts';

// Linkerd compares selectors as data (policy-controller/k8s/api/src/labels.rs, derived equality):
// label maps regardless of key order, expressions in their order with each one's values as a set, and
// an absent field unlike an empty one.
function selectorKey(sel: unknown): string {
  const labels = get(sel, ['matchLabels']);
  const exprs = get(sel, ['matchExpressions']);
  return JSON.stringify([
    isObj(labels)
      ? Object.entries(labels)
          .map(([k, v]) => `${k}=${String(v)}`)
          .sort()
      : null,
    Array.isArray(exprs)
      ? exprs.map((e) => {
          const values = get(e, ['values']);
          return [
            get(e, ['key']),
            get(e, ['operator']),
            Array.isArray(values) ? values.map(String).sort() : null,
          ];
        })
      : null,
  ]);
}

interface ServerSelection {
  server: K8sObject;
  /** Namespace, port and selector kind: Servers in different scopes never conflict. */
  scope: string;
  selector: string;
  /** An empty selector selects every pod (or external workload) of the namespace. */
  all: boolean;
}

function selection(server: K8sObject): ServerSelection | undefined {
  const port = get(server.body, ['spec', 'port']);
  if (port === undefined) return undefined;
  const pods = get(server.body, ['spec', 'podSelector']);
  const sel = pods ?? get(server.body, ['spec', 'externalWorkloadSelector']);
  const labels = get(sel, ['matchLabels']);
  const all =
    !(isObj(labels) && Object.keys(labels).length > 0) && list(get(sel, ['matchExpressions'])).length === 0;
  return {
    server,
    scope: `${server.namespace}\0${JSON.stringify(port)}\0${pods === undefined ? 'external' : 'pods'}`,
    selector: selectorKey(sel),
    all,
  };
}

function duplicateServers(c: ClusterSet): Issue[] {
  const servers = ofKind(c, 'Server', 'linkerd.io').flatMap((s) => selection(s) ?? []);
  return servers.flatMap((a) => {
    const rivals = servers.filter(
      (b) => b !== a && b.scope === a.scope && (a.all || b.all || a.selector === b.selector),
    );
    if (rivals.length === 0) return [];
    const everything = [a, ...rivals].filter((x) => x.all).map((x) => x.server.name);
    return [
      {
        obj: a.server,
        path: ['spec', 'port'],
        message: `Server ${a.server.name} and ${rivals.map((b) => b.server.name).join(', ')} in namespace ${a.server.namespace} select the same pods on port ${String(get(a.server.body, ['spec', 'port']))}${everything.length > 0 ? ` (${everything.join(', ')} select${everything.length === 1 ? 's' : ''} every pod)` : ''}; Linkerd's admission webhook rejects whichever is applied after the other ("already defines a policy for port")`,
      },
    ];
  });
}

interface Net {
  bits: bigint;
  prefix: number;
  width: number;
}

// An address alone is a network of that one address; the prefix length is plain decimal digits.
function parseNet(text: string): Net | undefined {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const len = slash < 0 ? undefined : text.slice(slash + 1);
  const family = isIP(addr);
  if (family === 0 || (len !== undefined && !/^[0-9]{1,3}$/.test(len))) return undefined;
  const width = family === 4 ? 32 : 128;
  const prefix = len === undefined ? width : Number(len);
  if (prefix > width) return undefined;
  let bits = 0n;
  if (family === 4) for (const part of addr.split('.')) bits = (bits << 8n) | BigInt(Number(part));
  else {
    // A dotted IPv4 tail (`::ffff:10.0.0.1`, which isIP and Linkerd's parser accept) is the last two groups.
    const v6 = addr.replace(
      /(\d+)\.(\d+)\.(\d+)\.(\d+)/,
      (_: string, a: string, b: string, c: string, d: string) =>
        [Number(a) * 256 + Number(b), Number(c) * 256 + Number(d)].map((n) => n.toString(16)).join(':'),
    );
    const [head = '', tail = ''] = v6.includes('::') ? v6.split('::') : [v6, ''];
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const groups = v6.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
    for (const g of groups) bits = (bits << 16n) | BigInt(Number.parseInt(g, 16));
  }
  return { bits, prefix, width };
}

const contains = (outer: Net, inner: Net): boolean => {
  if (outer.width !== inner.width || inner.prefix < outer.prefix) return false;
  const shift = BigInt(outer.width - outer.prefix);
  return outer.bits >> shift === inner.bits >> shift;
};

// Every network list the webhook validates (admission.rs validate_networks and the ServerAuthorization
// client check): where the kind keeps it, and whether a list that is present may be empty.
const NETWORK_LISTS: { kind: string; path: string[]; emptyAllowed: boolean }[] = [
  { kind: 'NetworkAuthentication', path: ['spec', 'networks'], emptyAllowed: false },
  { kind: 'EgressNetwork', path: ['spec', 'networks'], emptyAllowed: false },
  { kind: 'ServerAuthorization', path: ['spec', 'client', 'networks'], emptyAllowed: true },
];

function networkProblems(c: ClusterSet): Issue[] {
  const out: Issue[] = [];
  for (const { kind, path, emptyAllowed } of NETWORK_LISTS)
    for (const n of ofKind(c, kind, 'linkerd.io')) {
      const networks = get(n.body, path);
      // An absent list is the schema's business (required) or the kind's default; an empty one the webhook refuses.
      if (!emptyAllowed && Array.isArray(networks) && networks.length === 0)
        out.push({
          obj: n,
          path,
          message: `${kind} ${n.name}: networks is empty; the admission webhook rejects it ("at least one network must be specified")`,
        });
      list(networks).forEach((net, i) => {
        const cidrText = String(get(net, ['cidr']) ?? '');
        const cidr = parseNet(cidrText);
        if (!cidr) {
          out.push({
            obj: n,
            path: [...path, i, 'cidr'],
            message: `${kind} ${n.name}: network cidr "${cidrText}" is not an IP network; the admission webhook rejects it`,
          });
          return;
        }
        list(get(net, ['except'])).forEach((e, k) => {
          const except = parseNet(String(e));
          // The webhook first refuses an exception that covers its whole network (nothing would be left).
          const problem =
            except && contains(except, cidr)
              ? `covers the whole cidr ${cidrText}`
              : !except || !contains(cidr, except)
                ? `is not inside cidr ${cidrText}`
                : undefined;
          if (problem)
            out.push({
              obj: n,
              path: [...path, i, 'except', k],
              message: `${kind} ${n.name}: except "${String(e)}" ${problem}; the admission webhook rejects it`,
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
      "Servers in one namespace on the same port whose selectors (both podSelector or both externalWorkloadSelector) are equal, or of which one is empty and selects everything, are refused by Linkerd's policy admission webhook, so the Flux apply that carries the second one fails.",
    hint: 'Keep one Server per pod selector and port (an empty selector already covers every pod); attach more authorizations to it instead of adding a Server.',
    run: ({ cluster }) => duplicateServers(cluster),
  },
  {
    id: 'LNK102',
    severity: 'error',
    title: 'Linkerd network list its admission webhook refuses',
    description:
      "A network of a NetworkAuthentication, an EgressNetwork or a ServerAuthorization's client whose cidr is not an IP network, or whose except entry is not inside the cidr or covers all of it, and a NetworkAuthentication or EgressNetwork with an empty networks list, are refused by Linkerd's policy admission webhook, so the Flux apply that carries them fails.",
    hint: "Write cidr as an address/prefix, list only proper sub-networks of it under except, and give at least one network (or leave an EgressNetwork's networks out).",
    run: ({ cluster }) => networkProblems(cluster),
  },
];
