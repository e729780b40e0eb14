import type { App } from '@meshproof/spec';
import { type Caveat, resilienceFields } from '../caveats.ts';
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
