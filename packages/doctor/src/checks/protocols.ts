// What protocol the mesh believes a port speaks: Istio reads it from a Service port's appProtocol or
// name prefix, Linkerd from the opaque-ports annotation on Service and pods. When the belief is
// missing, or disagrees with what the app serves, L7 policy and routing silently stop applying.
import { containers, get, isObj, list, matchLabels, type PodTemplate } from '../k8s.ts';
import { istioMode, namespaceObject } from '../mesh.ts';
import type { Check, ClusterSet, Issue, Json, K8sObject } from '../model.ts';
import { templatesIn } from '../pod-sets.ts';

/** A Service port and the container port it reaches in one selected pod template. */
interface Target {
  svc: K8sObject;
  index: number;
  port: Json;
  template: PodTemplate;
  container: Json;
  containerPort: Json;
}

const servicesWithSelector = (c: ClusterSet): K8sObject[] =>
  c.objects.filter(
    (o) =>
      o.kind === 'Service' &&
      o.apiVersion === 'v1' &&
      isObj(get(o.body, ['spec', 'selector'])) &&
      get(o.body, ['spec', 'type']) !== 'ExternalName',
  );

/** (Service port, container port) pairs a Service reaches; of init containers only native sidecars serve. */
function targets(c: ClusterSet, svc: K8sObject): Target[] {
  const selector = get(svc.body, ['spec', 'selector']);
  const pods = templatesIn(c, svc.namespace).filter((t) => matchLabels(selector, t.labels));
  const out: Target[] = [];
  list(get(svc.body, ['spec', 'ports'])).forEach((port, index) => {
    if (!isObj(port)) return;
    const target = port.targetPort ?? port.port;
    for (const template of pods) {
      for (const { c: container, init } of containers(template)) {
        if (init && container.restartPolicy !== 'Always') continue;
        for (const cp of list(container.ports)) {
          if (!isObj(cp)) continue;
          if (cp.containerPort === target || (typeof target === 'string' && cp.name === target))
            out.push({ svc, index, port, template, container, containerPort: cp });
        }
      }
    }
  });
  return out;
}

// --- Linkerd opaque ports -------------------------------------------------------------------------

const OPAQUE = 'config.linkerd.io/opaque-ports';

// Linkerd's default opaque ports (proxy.opaquePorts in the linkerd-control-plane chart): without an
// annotation a workload or Service is treated as if it listed these.
const DEFAULT_OPAQUE = '25,587,3306,4444,5432,6379,9300,11211';

/** Port numbers an opaque-ports value lists: numbers, ranges `a-b`, and (on pods) port names. */
function opaquePorts(value: string, names: Map<string, number>): Set<number> {
  const out = new Set<number>();
  for (const part of value.split(',').map((p) => p.trim())) {
    const range = /^(\d+)-(\d+)$/.exec(part);
    if (range) {
      for (let p = Number(range[1]); p <= Math.min(Number(range[2]), 65535); p++) out.add(p);
    } else if (/^\d+$/.test(part)) out.add(Number(part));
    else if (names.has(part)) out.add(names.get(part) as number);
  }
  return out;
}

function podAnnotations(t: PodTemplate): Record<string, unknown> {
  const a = get(t.obj.body, [...t.specPath.slice(0, -1), 'metadata', 'annotations']);
  return isObj(a) ? a : {};
}

// `linkerd check` ("opaque ports are properly annotated", pkg/healthcheck in linkerd/linkerd2): a port
// opaque on the pods must be opaque on every Service reaching it, and the other way round, or the
// client side and the server side of a connection disagree on whether to parse it as HTTP. Pods get
// the namespace's annotation from the injector; Services fall back to the namespace's too.
function opaqueMismatch(c: ClusterSet): Issue[] {
  const out: Issue[] = [];
  for (const svc of servicesWithSelector(c)) {
    const nsValue = namespaceObject(c, svc.namespace)?.annotations[OPAQUE];
    const svcValue = svc.annotations[OPAQUE] ?? nsValue;
    const reported = new Set<string>();
    for (const t of targets(c, svc)) {
      const podRaw = podAnnotations(t.template)[OPAQUE];
      const podValue = typeof podRaw === 'string' ? podRaw : nsValue;
      if (svcValue === undefined && podValue === undefined) continue;
      const names = new Map<string, number>();
      for (const { c: ct } of containers(t.template))
        for (const p of list(ct.ports))
          if (typeof get(p, ['name']) === 'string' && typeof get(p, ['containerPort']) === 'number')
            names.set(get(p, ['name']) as string, get(p, ['containerPort']) as number);
      const onSvc = opaquePorts(svcValue ?? DEFAULT_OPAQUE, new Map()).has(t.port.port as number);
      const onPod = opaquePorts(podValue ?? DEFAULT_OPAQUE, names).has(
        t.containerPort.containerPort as number,
      );
      if (onSvc === onPod) continue;
      const key = `${t.index}/${t.template.obj.kind}/${t.template.obj.name}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const workload = `${t.template.obj.kind} ${t.template.obj.namespace}/${t.template.obj.name}`;
      out.push({
        obj: svc,
        path:
          svc.annotations[OPAQUE] !== undefined
            ? ['metadata', 'annotations', OPAQUE]
            : ['spec', 'ports', t.index],
        message: onSvc
          ? `port ${String(t.port.port)} is opaque on Service ${svc.namespace}/${svc.name} but containerPort ${String(t.containerPort.containerPort)} is not opaque on the pods of ${workload}`
          : `containerPort ${String(t.containerPort.containerPort)} is opaque on the pods of ${workload} but port ${String(t.port.port)} of Service ${svc.namespace}/${svc.name} is not`,
      });
    }
  }
  return out;
}

// --- Istio protocol selection ---------------------------------------------------------------------

// Protocols Istio selects from appProtocol or a `<protocol>[-<suffix>]` port name (istio.io docs,
// "Protocol Selection"; istio/istio pkg/config/protocol). HTTP-family ones get L7 treatment.
const HTTP_FAMILY = new Set([
  'http',
  'http2',
  'grpc',
  'grpc-web',
  'h2c',
  'kubernetes.io/h2c',
  'kubernetes.io/ws',
]);
const OPAQUE_FAMILY = new Set(['tcp', 'tls', 'https', 'mongo', 'mysql', 'redis', 'udp', 'kubernetes.io/wss']);

/** The protocol Istio takes for a Service port, and which field says so; undefined when it sniffs. */
function declared(port: Json): { protocol: string; field: 'appProtocol' | 'name' } | undefined {
  if (typeof port.appProtocol === 'string')
    return { protocol: port.appProtocol.toLowerCase(), field: 'appProtocol' };
  if (typeof port.name !== 'string') return undefined;
  const name = port.name.toLowerCase();
  const prefix = [...HTTP_FAMILY, ...OPAQUE_FAMILY]
    .filter((p) => !p.includes('/'))
    .sort((a, b) => b.length - a.length)
    .find((p) => name === p || name.startsWith(`${p}-`));
  return prefix ? { protocol: prefix, field: 'name' } : undefined;
}

const istioInUse = new WeakMap<ClusterSet, boolean>();

/** Whether Istio may handle the namespace: labelled into the mesh, or not described and Istio in use. */
function istioHandles(c: ClusterSet, ns: string): boolean {
  const obj = namespaceObject(c, ns);
  if (obj) return istioMode(obj) !== undefined;
  let inUse = istioInUse.get(c);
  if (inUse === undefined) {
    inUse = c.objects.some((o) => o.apiVersion.split('/')[0]?.endsWith('istio.io'));
    istioInUse.set(c, inUse);
  }
  return inUse;
}

// IST0118: a Service port without appProtocol whose name does not start with a protocol leaves Istio
// to sniff the protocol; sniffing fails for server-first protocols and adds a delay.
function unnamedProtocol(c: ClusterSet): Issue[] {
  return servicesWithSelector(c).flatMap((svc) => {
    if (!istioHandles(c, svc.namespace)) return [];
    return list(get(svc.body, ['spec', 'ports'])).flatMap((port, i) => {
      if (!isObj(port) || declared(port) || port.protocol === 'UDP' || port.protocol === 'SCTP') return [];
      return [
        {
          obj: svc,
          path: ['spec', 'ports', i, typeof port.name === 'string' ? 'name' : 'port'],
          message: `port ${String(port.name ?? port.port)} of Service ${svc.namespace}/${svc.name} names no protocol (no appProtocol, no "<protocol>-" name prefix): Istio has to guess it`,
        },
      ];
    });
  });
}

/** What the app is known to serve on a container port: HTTP when a probe speaks HTTP/gRPC to it or its name says so. */
function served(t: Target): { family: 'http' | 'opaque'; why: string } | undefined {
  const cp = t.containerPort;
  const hits = (port: unknown) =>
    port === cp.containerPort || (typeof cp.name === 'string' && port === cp.name);
  for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
    const p = t.container[probe];
    const scheme = get(p, ['httpGet', 'scheme']);
    if (hits(get(p, ['httpGet', 'port'])) && scheme !== 'HTTPS')
      return { family: 'http', why: `its ${probe} speaks HTTP to it` };
    if (hits(get(p, ['grpc', 'port']))) return { family: 'http', why: `its ${probe} speaks gRPC to it` };
  }
  if (typeof cp.name === 'string') {
    const d = declared({ name: cp.name });
    if (d)
      return {
        family: HTTP_FAMILY.has(d.protocol) ? 'http' : 'opaque',
        why: `the container port is named ${cp.name}`,
      };
  }
  return undefined;
}

// A `tcp-` name (or appProtocol tcp) on the port the app serves HTTP on makes Istio treat it as
// opaque TCP: HTTP routes, retries and L7 AuthorizationPolicy rules never apply. The reverse makes
// the proxy parse a non-HTTP stream as HTTP and break it.
function wrongProtocol(c: ClusterSet): Issue[] {
  const out: Issue[] = [];
  for (const svc of servicesWithSelector(c)) {
    if (!istioHandles(c, svc.namespace)) continue;
    const reported = new Set<number>();
    for (const t of targets(c, svc)) {
      const d = declared(t.port);
      const app = served(t);
      if (!d || !app || reported.has(t.index)) continue;
      const family = HTTP_FAMILY.has(d.protocol)
        ? 'http'
        : OPAQUE_FAMILY.has(d.protocol)
          ? 'opaque'
          : undefined;
      if (!family || family === app.family) continue;
      reported.add(t.index);
      const workload = `${t.template.obj.kind} ${t.template.obj.namespace}/${t.template.obj.name}`;
      out.push({
        obj: svc,
        path: ['spec', 'ports', t.index, d.field],
        message: `port ${String(t.port.port)} of Service ${svc.namespace}/${svc.name} is declared ${d.protocol} (${d.field}) but ${workload} serves ${app.family === 'http' ? 'HTTP' : 'a non-HTTP protocol'} there (${app.why})`,
      });
    }
  }
  return out;
}

export const protocolChecks: Check[] = [
  {
    id: 'PRT001',
    severity: 'error',
    title: 'Linkerd opaque ports differ between Service and pods',
    description:
      'A port listed in config.linkerd.io/opaque-ports on the pods (or their namespace) but not on a Service reaching it, or the other way round, makes client and server proxies disagree on the protocol (`linkerd check` "opaque ports are properly annotated"). When either side (or its namespace) is annotated, a missing annotation counts as Linkerd’s default opaque ports; with none on either side the pair is not judged.',
    hint: 'Put the same config.linkerd.io/opaque-ports annotation on the Service (its port numbers) and on the pod template (its container ports), or on their namespace.',
    run: ({ cluster }) => opaqueMismatch(cluster),
  },
  {
    id: 'PRT002',
    severity: 'info',
    title: 'Service port names no protocol for Istio',
    description:
      'In a namespace Istio handles, a Service port with neither appProtocol nor a "<protocol>[-<suffix>]" name (http, http2, grpc, tcp, tls, …) leaves Istio to sniff the protocol (istioctl IST0118).',
    hint: 'Set appProtocol (http, grpc, tcp, …) on the port, or name it "<protocol>-<suffix>".',
    run: ({ cluster }) => unnamedProtocol(cluster),
  },
  {
    id: 'PRT003',
    severity: 'error',
    title: 'Service port protocol contradicts the app',
    description:
      'A Service port whose appProtocol or name prefix says TCP/TLS while the app serves HTTP or gRPC there (a probe speaks HTTP/gRPC to the port, or the container port is named http…), or says HTTP on a port the container names tcp/tls/…: Istio then skips L7 routing and L7 AuthorizationPolicy rules, or breaks the stream by parsing it as HTTP.',
    hint: 'Declare the protocol the app actually serves: appProtocol http/grpc (or an "http-" name) for HTTP ports, tcp for opaque ones.',
    run: ({ cluster }) => wrongProtocol(cluster),
  },
];
