import type { Layer } from '../layout.ts';

// kstatus cannot tell when these custom resources are ready, so each layer says it in CEL. The `?.`
// optional access keeps an object without status from erroring before its controller wrote one.

/** A Gateway (e.g. a waypoint) is ready once its controller programmed it. */
const gatewayProgrammed = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  current: "status.?conditions.orValue([]).exists(e, e.type == 'Programmed' && e.status == 'True')",
};

/** A Canary is settled once Flagger initialized it or promoted a release; a rollback is a failure. */
const canarySettled = {
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
  current: "status.?phase.orValue('') in ['Initialized', 'Succeeded']",
  failed: "status.?phase.orValue('') == 'Failed'",
};

export function healthCheckExprs(layer: Layer, canaries: boolean) {
  if (layer === 'configs') return [gatewayProgrammed];
  if (layer === 'apps' && canaries) return [canarySettled];
  return undefined;
}
