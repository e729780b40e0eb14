import type { Layer } from '../layout.ts';

/** One entry of a Flux Kustomization's `healthCheckExprs`: CEL over the object, per kind. */
export interface HealthCheckExpr {
  apiVersion: string;
  kind: string;
  current: string;
  failed?: string;
}

/** A condition of `type` with status True, guarded for objects without status yet. */
export const conditionTrue = (type: string): string =>
  `status.?conditions.orValue([]).exists(e, e.type == '${type}' && e.status == 'True')`;

// kstatus cannot tell when these custom resources are ready, so each layer says it in CEL. The `?.`
// optional access keeps an object without status from erroring before its controller wrote one.

/** A Gateway (e.g. a waypoint) is ready once its controller programmed it. */
const gatewayProgrammed = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  current: conditionTrue('Programmed'),
};

/** A Canary is settled once Flagger initialized it or promoted a release; a rollback is a failure. */
const canarySettled = {
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
  current: "status.?phase.orValue('') in ['Initialized', 'Succeeded']",
  failed: "status.?phase.orValue('') == 'Failed'",
};

export function healthCheckExprs(
  layer: Layer,
  canaries: boolean,
  extra: readonly HealthCheckExpr[] = [],
): HealthCheckExpr[] | undefined {
  const own = layer === 'configs' ? [gatewayProgrammed] : layer === 'apps' && canaries ? [canarySettled] : [];
  const all = [...own, ...extra];
  return all.length > 0 ? all : undefined;
}
