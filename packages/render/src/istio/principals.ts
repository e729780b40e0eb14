import type { App, Platform } from '@meshproof/spec';
import { type Caller, callersOf, serviceAccountName } from '../workload/names.ts';

/** SPIFFE-style principal Istio gives a workload: trust domain, namespace and ServiceAccount. */
export const principal = (namespace: string, serviceAccount: string) =>
  `cluster.local/ns/${namespace}/sa/${serviceAccount}`;

export const appPrincipal = (app: Caller) => principal(app.namespace, serviceAccountName(app));

/**
 * Istio matches paths exactly or by a trailing `*`: a path prefix needs both forms. A trailing `/`
 * of the prefix is ignored, as Gateway API's PathPrefix does (gateway-api apis/v1/httproute_types.go):
 * `/api/` admits `/api` like the other meshes do.
 */
export function prefixPaths(prefix: string): string[] {
  const base = prefix.replace(/\/+$/, '');
  return base === '' ? ['/', '/*'] : [base, `${base}/*`];
}

/** One allow rule per caller of `app`: who may call, and (L7) which methods and path prefixes. */
export function callerRules(platform: Platform, app: App, l7: boolean) {
  return callersOf(platform, app)
    .sort((a, b) => (a.caller.name < b.caller.name ? -1 : 1))
    .map(({ caller, call }) => {
      const operation: Record<string, unknown> = {};
      if (l7 && call.methods) operation.methods = [...call.methods];
      if (l7 && call.paths) operation.paths = call.paths.flatMap(prefixPaths);
      return {
        from: [{ source: { principals: [appPrincipal(caller)] } }],
        ...(Object.keys(operation).length > 0 ? { to: [{ operation }] } : {}),
      };
    });
}
