// Port names the API server refuses. Container port names, Service targetPort names and probe port
// names are IANA service names; Service port names are DNS-1123 labels, required and unique once a
// Service has more than one port (kubernetes/apimachinery pkg/util/validation IsValidPortName;
// kubernetes/kubernetes pkg/apis/core/validation validateContainerPorts / validateServicePort).
import { containers, get, isObj, list, ofKind, podTemplates } from '../k8s.ts';
import type { Check, ClusterSet, Issue, K8sObject, Path } from '../model.ts';

/** Why `name` is not an IANA service name (RFC 6335 as Kubernetes reads it), or undefined when it is one. */
export function ianaNameProblem(name: string): string | undefined {
  if (name.length > 15) return 'is longer than 15 characters';
  if (!/^[-a-z0-9]+$/.test(name)) return 'may only hold lowercase letters, digits and "-"';
  if (!/[a-z]/.test(name)) return 'needs at least one letter';
  if (name.includes('--')) return 'must not contain "--"';
  if (name.startsWith('-') || name.endsWith('-')) return 'must not start or end with "-"';
  return undefined;
}

function dnsLabelProblem(name: string): string | undefined {
  if (name.length > 63) return 'is longer than 63 characters';
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name))
    return 'must be lowercase letters, digits and "-", starting and ending with a letter or digit';
  return undefined;
}

const PROBES = ['readinessProbe', 'livenessProbe', 'startupProbe'];
const PROBE_PORTS: Path[] = [
  ['httpGet', 'port'],
  ['tcpSocket', 'port'],
];

function podPortNames(c: ClusterSet): Issue[] {
  const out: Issue[] = [];
  for (const t of podTemplates(c)) {
    for (const { c: ct, path } of containers(t)) {
      const seen = new Set<string>();
      list(ct.ports).forEach((p, i) => {
        const name = get(p, ['name']);
        if (typeof name !== 'string') return;
        const problem = ianaNameProblem(name);
        const dup = seen.has(name);
        seen.add(name);
        if (!problem && !dup) return;
        out.push({
          obj: t.obj,
          path: [...path, 'ports', i, 'name'],
          message: `container ${String(ct.name)} of ${t.obj.kind} ${t.obj.namespace}/${t.obj.name}: port name "${name}" ${problem ?? 'is used twice in the container'}`,
        });
      });
      for (const probe of PROBES) {
        for (const at of PROBE_PORTS) {
          const port = get(ct, [probe, ...at]);
          const problem = typeof port === 'string' ? ianaNameProblem(port) : undefined;
          if (problem)
            out.push({
              obj: t.obj,
              path: [...path, probe, ...at],
              message: `container ${String(ct.name)} of ${t.obj.kind} ${t.obj.namespace}/${t.obj.name}: ${probe} port "${String(port)}" ${problem}`,
            });
        }
      }
    }
  }
  return out;
}

function servicePortNames(c: ClusterSet): Issue[] {
  const out: Issue[] = [];
  for (const svc of ofKind(c, 'Service').filter((o: K8sObject) => o.apiVersion === 'v1')) {
    const ports = list(get(svc.body, ['spec', 'ports']));
    const seen = new Set<string>();
    const at = `Service ${svc.namespace}/${svc.name}`;
    ports.forEach((p, i) => {
      if (!isObj(p)) return;
      if (typeof p.name !== 'string' || p.name === '') {
        if (ports.length > 1)
          out.push({
            obj: svc,
            path: ['spec', 'ports', i],
            message: `${at}: port ${String(p.port)} has no name; every port needs one when a Service has several`,
          });
      } else {
        const problem = dnsLabelProblem(p.name) ?? (seen.has(p.name) ? 'is used twice' : undefined);
        seen.add(p.name);
        if (problem)
          out.push({
            obj: svc,
            path: ['spec', 'ports', i, 'name'],
            message: `${at}: port name "${p.name}" ${problem}`,
          });
      }
      const target = p.targetPort;
      const problem = typeof target === 'string' ? ianaNameProblem(target) : undefined;
      if (problem)
        out.push({
          obj: svc,
          path: ['spec', 'ports', i, 'targetPort'],
          message: `${at}: targetPort "${String(target)}" ${problem}`,
        });
    });
  }
  return out;
}

export const portNameChecks: Check[] = [
  {
    id: 'KUB003',
    severity: 'error',
    title: 'Invalid port name',
    description:
      'Container port names, Service targetPort names and probe port names must be IANA service names (at most 15 characters of a-z, 0-9 and "-", at least one letter, no leading, trailing or double "-"), unique within a container; Service port names must be DNS-1123 labels, unique, and present on every port of a multi-port Service. The API server refuses anything else.',
    hint: 'Rename the port, e.g. "http-metrics" rather than "HTTP_Metrics" or "prometheus-metrics-port".',
    run: ({ cluster }) => [...podPortNames(cluster), ...servicePortNames(cluster)],
  },
];
