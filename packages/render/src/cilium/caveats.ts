import type { App } from '@meshproof/spec';
import { type Caveat, resilienceFields } from '../caveats.ts';
import type { PermissiveMtls } from '../mesh.ts';
import { GATEWAY_API } from '../versions.ts';

export const ciliumCaveats = (app: App): Caveat[] => [
  ...resilienceFields(
    app,
    ['retries'],
    `Gateway API ${GATEWAY_API.version} standard HTTPRoute has no retry field`,
  ),
  ...resilienceFields(
    app,
    ['circuitBreaker', 'outlierDetection'],
    "Cilium's Gateway API support has no connection limits or outlier ejection",
  ),
];

/** Cilium has no plaintext-accepting mode to switch to; its authentication is per allow rule. */
export const ciliumPermissive: PermissiveMtls = {
  applied: false,
  meaning:
    'Cilium has no permissive mode: WireGuard encrypts traffic between nodes either way, and every allow rule requires mutual authentication while cilium.mutualAuth is true (set it to false to stop requiring it)',
};
