// Services that disagree about the pods they share: Istio builds one inbound listener per pod port, so
// two Services giving one target port different protocols (IST0116), or exposing one target port under
// different Service ports (IST0137), leave one of them misrouted (istio/istio pkg/config/analysis/
// analyzers/deployment/services.go). Like upstream, only pods in the Istio mesh are judged.
import { get, list, matchLabels, type PodTemplate, podTemplates } from '../k8s.ts';
import { istioMode, namespaceObject } from '../mesh.ts';
import type { Check, ClusterSet, Issue, K8sObject } from '../model.ts';
import { ofKindIn } from '../namespaced.ts';

// Istio's protocol prefixes of Service port names (and appProtocol values).
const PROTOCOLS = new Set([
  'http',
  'http2',
  'https',
  'grpc',
  'grpc-web',
  'tcp',
  'tls',
  'udp',
  'mongo',
  'mysql',
  'redis',
]);

/** The protocol Istio takes for a Service port, when the port declares one (else undefined: sniffed). */
function declaredProtocol(port: unknown): string | undefined {
  if (get(port, ['protocol']) === 'UDP') return 'udp';
  const app = get(port, ['appProtocol']);
  if (typeof app === 'string' && PROTOCOLS.has(app.toLowerCase())) return app.toLowerCase();
  const name = get(port, ['name']);
  if (typeof name !== 'string') return undefined;
  const prefix = name.toLowerCase().split('-')[0] ?? '';
  const full = name.toLowerCase().startsWith('grpc-web') ? 'grpc-web' : prefix;
  return PROTOCOLS.has(full) ? full : undefined;
}

interface Exposure {
  svc: K8sObject;
  index: number;
  port: unknown;
  target: string;
}

function meshed(c: ClusterSet, t: PodTemplate): boolean {
  const ns = namespaceObject(c, t.obj.namespace);
  const inject = get(t.obj.body, [
    ...t.specPath.slice(0, -1),
    'metadata',
    'labels',
    'sidecar.istio.io/inject',
  ]);
  return (ns !== undefined && istioMode(ns) !== undefined) || inject === 'true';
}

/** Every Service port that reaches the template's pods, keyed by target port as written (number or name). */
function exposures(c: ClusterSet, t: PodTemplate): Exposure[] {
  return ofKindIn(c, 'Service', t.obj.namespace)
    .filter(
      (s) =>
        s.apiVersion === 'v1' &&
        get(s.body, ['spec', 'selector']) !== undefined &&
        matchLabels(get(s.body, ['spec', 'selector']), t.labels),
    )
    .flatMap((svc) =>
      list(get(svc.body, ['spec', 'ports'])).map((port, index) => ({
        svc,
        index,
        port,
        target: String(get(port, ['targetPort']) ?? get(port, ['port'])),
      })),
    );
}

const byTarget = (xs: Exposure[]): Map<string, Exposure[]> => {
  const m = new Map<string, Exposure[]>();
  for (const x of xs) m.set(x.target, [...(m.get(x.target) ?? []), x]);
  return m;
};

const names = (xs: Exposure[]): string => [...new Set(xs.map((x) => x.svc.name))].join(', ');

function conflicts(c: ClusterSet, protocols: boolean): Issue[] {
  const out: Issue[] = [];
  const seen = new Set<string>();
  for (const t of podTemplates(c)) {
    if (!meshed(c, t)) continue;
    for (const [target, xs] of byTarget(exposures(c, t))) {
      if (new Set(xs.map((x) => x.svc)).size < 2) continue;
      const values = protocols
        ? xs.map((x) => declaredProtocol(x.port)).filter((p): p is string => p !== undefined)
        : xs.map((x) => String(get(x.port, ['port'])));
      if (new Set(values).size < 2) continue;
      for (const x of xs) {
        const key = `${x.svc.namespace}/${x.svc.name}/${x.index}`;
        if (seen.has(key) || (protocols && declaredProtocol(x.port) === undefined)) continue;
        seen.add(key);
        out.push({
          obj: x.svc,
          path: ['spec', 'ports', x.index, protocols ? 'name' : 'port'],
          message: protocols
            ? `Services ${names(xs)} reach target port ${target} of ${t.obj.kind} ${t.obj.name} with different protocols (${[...new Set(values)].sort().join(', ')}); its proxy can serve only one`
            : `Services ${names(xs)} expose target port ${target} of ${t.obj.kind} ${t.obj.name} as different ports (${[...new Set(values)].sort().join(', ')}); Istio requires one port per target port`,
        });
      }
    }
  }
  return out;
}

export const istioPortChecks: Check[] = [
  {
    id: 'IST116',
    severity: 'warning',
    title: 'Services give one pod port different protocols',
    description:
      'Two Services select the same meshed pods and reach the same target port, one declaring (by port name prefix, appProtocol or UDP) a different protocol than the other; the proxy serves the port with one protocol only (istioctl IST0116).',
    hint: 'Name the port with the same protocol prefix (or appProtocol) in every Service that targets it.',
    run: ({ cluster }) => conflicts(cluster, true),
  },
  {
    id: 'IST137',
    severity: 'warning',
    title: 'Services expose one pod port under different ports',
    description:
      'Two Services select the same meshed pods with the same targetPort but different Service ports; Istio requires them to agree and routes one of them wrongly (istioctl IST0137).',
    hint: 'Use the same Service port for a given targetPort in every Service that selects the pods.',
    run: ({ cluster }) => conflicts(cluster, false),
  },
];
