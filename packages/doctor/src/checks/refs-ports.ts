// Named ports that lead nowhere: a Service targetPort name no container of the selected pods declares
// (those pods get no endpoint for the port), and a probe on a port its container does not declare
// (a name the kubelet cannot resolve fails every probe; kube-linter liveness-port/readiness-port/
// startup-port also flag undeclared numbers).
import { containers, get, isObj, list, matchLabels, type PodTemplate, podTemplates } from '../k8s.ts';
import type { Check, ClusterSet, Issue, Json, Path } from '../model.ts';
import { templatesIn } from '../namespaced.ts';

// Containers that serve: app containers, and init containers run as sidecars (restartPolicy Always).
const serving = (t: PodTemplate) =>
  containers(t).filter(({ c, init }) => !init || c.restartPolicy === 'Always');

// Ports the mesh's injected proxy carries, which a Service may target (to scrape the proxy, say)
// though the template does not declare them: Linkerd's proxy container (linkerd-proxy, linkerd-admin)
// and Istio's sidecar (http-envoy-prom).
const PROXY_PORTS = new Set(['linkerd-proxy', 'linkerd-admin', 'http-envoy-prom']);

const portNames = (c: Json): string[] =>
  list(c.ports).flatMap((p) => (typeof get(p, ['name']) === 'string' ? [get(p, ['name']) as string] : []));

function danglingTargetPorts(c: ClusterSet): Issue[] {
  const out: Issue[] = [];
  for (const svc of c.objects) {
    if (svc.kind !== 'Service' || svc.apiVersion !== 'v1') continue;
    const selector = get(svc.body, ['spec', 'selector']);
    if (!isObj(selector) || Object.keys(selector).length === 0) continue;
    const pods = templatesIn(c, svc.namespace).filter((t) => matchLabels(selector, t.labels));
    if (pods.length === 0) continue;
    list(get(svc.body, ['spec', 'ports'])).forEach((p, i) => {
      const target = get(p, ['targetPort']);
      if (typeof target !== 'string' || /^\d+$/.test(target) || PROXY_PORTS.has(target)) return;
      const lacking = pods.filter((t) => !serving(t).some(({ c: ct }) => portNames(ct).includes(target)));
      if (lacking.length === 0) return;
      const which = lacking.map((t) => `${t.obj.kind} ${t.obj.name}`).join(', ');
      out.push({
        obj: svc,
        path: ['spec', 'ports', i, 'targetPort'],
        message: `targetPort "${target}" is no container port name of the selected pods of ${which}; they get no endpoint for this port`,
      });
    });
  }
  return out;
}

interface ProbePort {
  probe: string;
  port: unknown;
  path: Path;
}

function probePorts(c: Json, base: Path): ProbePort[] {
  return ['livenessProbe', 'readinessProbe', 'startupProbe'].flatMap((probe) =>
    ['httpGet', 'tcpSocket', 'grpc'].flatMap((handler) => {
      const port = get(c, [probe, handler, 'port']);
      return port === undefined ? [] : [{ probe, port, path: [...base, probe, handler, 'port'] }];
    }),
  );
}

function probeIssues(c: ClusterSet, named: boolean): Issue[] {
  const out: Issue[] = [];
  for (const t of podTemplates(c)) {
    for (const { c: ct, path } of serving(t)) {
      const names = portNames(ct);
      const numbers = list(ct.ports).map((p) => get(p, ['containerPort']));
      for (const p of probePorts(ct, path)) {
        const isName = typeof p.port === 'string' && !/^\d+$/.test(p.port);
        if (isName !== named) continue;
        if (named ? names.includes(p.port as string) : numbers.includes(Number(p.port))) continue;
        // A container declaring no ports at all says nothing about the numbers it listens on.
        if (!named && numbers.length === 0) continue;
        out.push({
          obj: t.obj,
          path: p.path,
          message: named
            ? `${p.probe} of container ${String(ct.name)} uses port "${String(p.port)}", which the container does not declare; the kubelet cannot resolve it and the probe always fails`
            : `${p.probe} of container ${String(ct.name)} probes port ${String(p.port)}, which is not among its containerPorts (${numbers.join(', ')})`,
        });
      }
    }
  }
  return out;
}

export const portReferenceChecks: Check[] = [
  {
    id: 'REF032',
    severity: 'error',
    title: 'Service targetPort name not on the pods',
    description:
      'A Service port’s targetPort is a name that no container port of some selected pod template carries, so those pods get no endpoint for it and traffic to the port fails (kube-linter invalid-target-ports only checks the name’s format).',
    hint: 'Name the container port (ports[].name) as the Service’s targetPort, or use the port number.',
    run: ({ cluster }) => danglingTargetPorts(cluster),
  },
  {
    id: 'REF033',
    severity: 'error',
    title: 'Probe names an undeclared port',
    description:
      'A liveness, readiness or startup probe uses a port name its container does not declare in ports[].name: the kubelet cannot resolve it, so the probe always fails (kube-linter liveness-port, readiness-port, startup-port).',
    hint: 'Use a name from the container’s ports[] (or the port number) in the probe.',
    run: ({ cluster }) => probeIssues(cluster, true),
  },
  {
    id: 'REF034',
    severity: 'warning',
    title: 'Probe on an undeclared port number',
    description:
      'A probe targets a port number that is not among the containerPorts its container declares (kube-linter liveness-port, readiness-port, startup-port). The kubelet still probes it, so this is a warning: usually a stale port after the app moved.',
    hint: 'Probe one of the container’s declared ports, or declare the port the app listens on.',
    run: ({ cluster }) => probeIssues(cluster, false),
  },
];
