// Test model of Linkerd's inbound policy (policy.linkerd.io; linkerd.io "Authorization Policy"
// reference) for one request from a meshed pod: the Server that selects the pod's port; with routes
// attached, the route Gateway API precedence picks (exact path, then longest prefix, then a method
// match), or 404 when none matches; then an AuthorizationPolicy on that route (or, without routes, on
// the Server) whose required authentications all match the caller. No Server: the namespace default.
import { type Obj, type Pod, type Request, selects } from '../test-pods.ts';

type Ref = { group?: string; kind: string; name: string };
type Match = { path?: { type: 'Exact' | 'PathPrefix'; value: string }; method?: string };
export type LinkerdVerdict = 'allowed' | 'forbidden' | 'no-route';

/** Gateway API PathPrefix: whole segments (`/api` covers `/api/x`, not `/apix`). */
const prefixCovers = (prefix: string, path: string) =>
  prefix === '/' ||
  path === prefix.replace(/\/$/, '') ||
  path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);

const IDENTITY_SUFFIX = 'serviceaccount.identity.linkerd.cluster.local';
/** Where the model places pods: inside kind's pod network (10.244.0.0/16). */
const POD_IP = [10, 244, 1, 7];

const inCidr = (cidr: string): boolean => {
  const [base, bits] = cidr.split('/');
  if (!base || base.includes(':')) return false;
  const octets = base.split('.').map(Number);
  const n = Number(bits);
  const toInt = (o: number[]) => o.reduce((acc, x) => acc * 256 + x, 0);
  const mask = n === 0 ? 0 : 2 ** 32 - 2 ** (32 - n);
  const and = (x: number) => Number(BigInt(x) & BigInt(mask));
  return and(toInt(POD_IP)) === and(toInt(octets));
};

function authenticated(all: Obj[], ns: string, ref: Ref, from: Pod): boolean {
  const authn = all.find(
    (o) => o.kind === ref.kind && o.metadata?.namespace === ns && o.metadata?.name === ref.name,
  );
  if (!authn) return false; // a missing authentication admits nobody
  if (ref.kind === 'MeshTLSAuthentication') {
    const byRef = (authn.spec.identityRefs ?? []).some(
      (i: { kind: string; name: string; namespace?: string }) =>
        i.kind === 'ServiceAccount' &&
        i.name === from.serviceAccount &&
        (i.namespace ?? ns) === from.namespace,
    );
    const identity = `${from.serviceAccount}.${from.namespace}.${IDENTITY_SUFFIX}`;
    return byRef || (authn.spec.identities ?? []).some((i: string) => i === '*' || i === identity);
  }
  if (ref.kind === 'NetworkAuthentication')
    return authn.spec.networks.some(
      (n: { cidr: string; except?: string[] }) => inCidr(n.cidr) && !(n.except ?? []).some(inCidr),
    );
  throw new Error(`${ref.kind} is not modelled`);
}

function authorized(all: Obj[], ns: string, target: Ref, from: Pod): boolean {
  return all.some(
    (o) =>
      o.kind === 'AuthorizationPolicy' &&
      o.apiVersion === 'policy.linkerd.io/v1alpha1' &&
      o.metadata?.namespace === ns &&
      o.spec.targetRef.kind === target.kind &&
      o.spec.targetRef.name === target.name &&
      (o.spec.requiredAuthenticationRefs as Ref[]).every((ref) => authenticated(all, ns, ref, from)),
  );
}

/** Precedence of a matching match: exact paths first, then longer prefixes, then a method over none. */
const rank = (m: Match) => [m.path?.type === 'Exact' ? 1 : 0, m.path?.value.length ?? 1, m.method ? 1 : 0];
const better = (a: number[], b: number[]) => {
  for (let i = 0; i < a.length; i++)
    if ((a[i] as number) !== (b[i] as number)) return (a[i] as number) > (b[i] as number);
  return false;
};

/** `portName`: the name of the callee container's port (Servers may name it instead of its number). */
export function linkerdVerdict(all: Obj[], r: Request, portName: string): LinkerdVerdict {
  const ns = r.to.namespace;
  const servers = all.filter(
    (o) =>
      o.kind === 'Server' &&
      o.metadata?.namespace === ns &&
      selects(o.spec.podSelector, r.to.labels) &&
      (o.spec.port === r.port || o.spec.port === portName),
  );
  if (servers.length > 1) throw new Error(`${servers.length} Servers select ${r.to.name}:${r.port}`);
  const server = servers[0];
  if (!server) {
    const namespace = all.find((o) => o.kind === 'Namespace' && o.metadata?.name === ns);
    const policy = namespace?.metadata?.annotations?.['config.linkerd.io/default-inbound-policy'];
    if (policy === 'all-authenticated') return 'allowed'; // every modelled caller is meshed
    throw new Error(`default inbound policy ${policy} is not modelled`);
  }
  const name = server.metadata?.name ?? '';
  const routes = all.filter(
    (o) =>
      o.kind === 'HTTPRoute' &&
      o.metadata?.namespace === ns &&
      (o.spec.parentRefs as Ref[]).some((p) => p.kind === 'Server' && p.name === name),
  );
  if (routes.length === 0)
    return authorized(all, ns, { kind: 'Server', name }, r.from) ? 'allowed' : 'forbidden';
  let chosen: { route: string; rank: number[] } | undefined;
  for (const route of routes)
    for (const rule of route.spec.rules ?? [])
      for (const m of (rule.matches ?? [{}]) as Match[]) {
        const pathOk =
          m.path === undefined ||
          (m.path.type === 'Exact' ? m.path.value === r.path : prefixCovers(m.path.value, r.path));
        if (!pathOk || (m.method !== undefined && m.method !== r.method)) continue;
        if (!chosen || better(rank(m), chosen.rank))
          chosen = { route: route.metadata?.name ?? '', rank: rank(m) };
      }
  if (!chosen) return 'no-route';
  return authorized(all, ns, { kind: 'HTTPRoute', name: chosen.route }, r.from) ? 'allowed' : 'forbidden';
}
