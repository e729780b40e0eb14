import type { App, Platform } from '@meshproof/spec';
import type { MeshContext } from './mesh.ts';
import { meshPlugin } from './meshes.ts';
import { hasCanary } from './workload/names.ts';

/** A spec field (relative to its app) that a mesh cannot render, and why. */
export interface Caveat {
  field: string;
  reason: string;
}

/** A caveat placed in the spec and the cluster, for `render` and `validate` to print. */
export interface ClusterCaveat {
  cluster: string;
  mesh: string;
  path: string;
  reason: string;
  /** The field is rendered, and `reason` says what it means on this mesh. */
  applied?: boolean;
}

// Small builders the mesh caveat lists share.
export const resilienceFields = (
  app: App,
  fields: readonly (keyof App['resilience'])[],
  reason: string,
): Caveat[] =>
  fields.filter((f) => app.resilience[f] !== undefined).map((f) => ({ field: `resilience.${f}`, reason }));

export const l7Calls = (app: App, reason: string): Caveat[] =>
  app.calls.flatMap((call, i) => (call.methods || call.paths ? [{ field: `calls[${i}]`, reason }] : []));

/** Splits between versions other than all-or-nothing; a canary's split is Flagger's, not the spec's. */
export const weightedSplit = (app: App): boolean =>
  !hasCanary(app) && app.versions.some((v) => v.weight > 0 && v.weight < 100);

/** What PERMISSIVE does on the cluster's mesh: always said, since it weakens what the repo proves. */
function mtlsCaveats(ctx: MeshContext): ClusterCaveat[] {
  if (ctx.platform.security.mtls !== 'PERMISSIVE') return [];
  const { applied, meaning } = meshPlugin(ctx.cluster.mesh).permissiveMtls(ctx);
  return [
    { cluster: ctx.cluster.name, mesh: ctx.cluster.mesh, path: 'security.mtls', reason: meaning, applied },
  ];
}

/** Everything in the spec that some cluster's mesh does not render (or renders with a warning), in spec order. */
export function renderCaveats(platform: Platform): ClusterCaveat[] {
  return platform.clusters.flatMap((cluster) => {
    const ctx: MeshContext = { platform, cluster };
    const caveats = meshPlugin(cluster.mesh).caveats;
    return [
      ...mtlsCaveats(ctx),
      ...(caveats
        ? platform.apps.flatMap((app, i) =>
            caveats(ctx, app).map((c) => ({
              cluster: cluster.name,
              mesh: cluster.mesh,
              path: `apps[${i}].${c.field}`,
              reason: c.reason,
            })),
          )
        : []),
    ];
  });
}

export const formatCaveat = (c: ClusterCaveat): string =>
  c.applied
    ? `warning: ${c.path} on ${c.cluster} (${c.mesh}): ${c.reason}`
    : `warning: ${c.path} is not applied on ${c.cluster} (${c.mesh}): ${c.reason}`;
