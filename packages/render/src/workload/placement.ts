import type { IAffinity } from 'kubernetes-models/v1/Affinity';
import { ROLE_LABEL } from '../kind/cluster-config.ts';

/**
 * Prefers the kind workers the spec gives a role (apps on `server`, load generators on `load`), so a
 * benchmark's client and server do not share a node's CPU. Only a preference: clusters whose nodes
 * carry no role label still schedule everything.
 */
export const preferRole = (role: 'server' | 'load'): IAffinity => ({
  nodeAffinity: {
    preferredDuringSchedulingIgnoredDuringExecution: [
      {
        weight: 100,
        preference: { matchExpressions: [{ key: ROLE_LABEL, operator: 'In', values: [role] }] },
      },
    ],
  },
});
