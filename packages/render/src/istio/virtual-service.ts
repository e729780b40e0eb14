import type { IVirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService';
import type { App } from '@meshproof/spec';
import type { K8sObject } from '../model.ts';
import { duration } from '../units.ts';
import { serviceHost, VERSION_LABEL } from '../workload/names.ts';
import { destinationRule, retries, trafficPolicy } from './traffic-policy.ts';

function fault(app: App) {
  const f = app.faults;
  if (!f) return undefined;
  return {
    delay: f.delay ? { fixedDelay: duration(f.delay.ms), percentage: { value: f.delay.percent } } : undefined,
    abort: f.abort ? { httpStatus: f.abort.httpStatus, percentage: { value: f.abort.percent } } : undefined,
  };
}

/**
 * Istio-native routing for an app Flagger does not own: header/path routes to a version, the
 * weighted default split, timeout, retries and fault injection; subsets select the version label.
 */
export function istioRouting(app: App): K8sObject[] {
  const host = serviceHost(app);
  const port = app.port === undefined ? undefined : { number: app.port };
  const shared = {
    timeout: app.resilience.timeoutMs === undefined ? undefined : duration(app.resilience.timeoutMs),
    retries: retries(app),
    fault: fault(app),
  };
  const to = (version: string) => ({ host, subset: version, port });
  const service: IVirtualService = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: app.name, namespace: app.namespace },
    spec: {
      hosts: [host],
      http: [
        ...app.routes.map((route, i) => ({
          name: `match-${i}`,
          match: [
            {
              headers: route.match.headers
                ? Object.fromEntries(Object.entries(route.match.headers).map(([k, v]) => [k, { exact: v }]))
                : undefined,
              uri: route.match.pathPrefix ? { prefix: route.match.pathPrefix } : undefined,
            },
          ],
          route: [{ destination: to(route.version) }],
          ...shared,
        })),
        {
          name: 'default',
          route: app.versions
            .filter((v) => v.weight > 0)
            .map((v) => ({ destination: to(v.name), weight: v.weight })),
          ...shared,
        },
      ],
    },
  };
  const subsets = app.versions.map((v) => ({ name: v.name, labels: { [VERSION_LABEL]: v.name } }));
  return [service, destinationRule(app, app.name, host, trafficPolicy(app), subsets)];
}
