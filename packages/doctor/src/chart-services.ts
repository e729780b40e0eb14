// Services that charts and controllers create at install time, so that a route or a
// DestinationRule naming one is not reported as leading nowhere although no Service is committed.
import { get, ofKind, releaseValues } from './k8s.ts';
import type { ClusterSet } from './model.ts';

/**
 * Per namespace, the name prefixes of the Services the cluster's HelmReleases may create. Charts name
 * their objects after the release (Flux's default release name is `[<targetNamespace>-]<name>`), the
 * chart or a fullname/name override; a Service whose name starts with one of them may be the chart's.
 */
export function chartServicePrefixes(c: ClusterSet): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const hr of ofKind(c, 'HelmRelease', 'fluxcd.io')) {
    const target = get(hr.body, ['spec', 'targetNamespace']);
    const ns = typeof target === 'string' ? target : hr.namespace;
    const values = releaseValues(c, hr);
    const candidates = [
      hr.name,
      typeof target === 'string' ? `${target}-${hr.name}` : undefined,
      get(hr.body, ['spec', 'releaseName']),
      get(hr.body, ['spec', 'chart', 'spec', 'chart']),
      values.fullnameOverride,
      values.nameOverride,
    ].filter((p): p is string => typeof p === 'string' && p !== '');
    out.set(ns, [...(out.get(ns) ?? []), ...candidates]);
  }
  return out;
}

/** Names of the Services a Gateway API Gateway deployed by Istio gets: `<name>-istio`, or `<name>` for a waypoint. */
export function gatewayServices(c: ClusterSet): Set<string> {
  const out = new Set<string>();
  for (const g of ofKind(c, 'Gateway', 'gateway.networking.k8s.io')) {
    const cls = get(g.body, ['spec', 'gatewayClassName']);
    if (cls === 'istio-waypoint') out.add(`${g.namespace}/${g.name}`);
    if (cls === 'istio') out.add(`${g.namespace}/${g.name}-istio`);
  }
  return out;
}

/** Whether Service ns/name may be created by a chart or a gateway controller rather than committed. */
export function madeAtInstall(c: ClusterSet): (ns: string, name: string) => boolean {
  const prefixes = chartServicePrefixes(c);
  const gateways = gatewayServices(c);
  return (ns, name) =>
    gateways.has(`${ns}/${name}`) || (prefixes.get(ns) ?? []).some((p) => name.startsWith(p));
}
