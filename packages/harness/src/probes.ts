import type { App, Cluster, Platform } from '@meshproof/spec';

/** One request the e2e sends to prove the policy: from a caller (or an outsider) to an app. */
export interface Probe {
  from: string;
  to: string;
  method: string;
  path: string;
  expect: 'allow' | 'deny';
  why: string;
}

// A workload that no rule names; with default deny every request from it must fail.
export const OUTSIDER = 'outsider';

function probesFor(app: App, callers: readonly App[], defaultDeny: boolean, l7: boolean): Probe[] {
  const probes: Probe[] = [];
  for (const caller of callers) {
    const call = caller.calls.find((c) => c.app === app.name);
    if (call) {
      const method = call.methods?.[0] ?? 'GET';
      const path = call.paths?.[0] ?? '/';
      probes.push({
        from: caller.name,
        to: app.name,
        method,
        path,
        expect: 'allow',
        why: `${caller.name} calls ${app.name}`,
      });
      const denied = ['GET', 'POST', 'DELETE'].find(
        (m) => call.methods && !call.methods.includes(m as never),
      );
      if (denied && l7) {
        probes.push({
          from: caller.name,
          to: app.name,
          method: denied,
          path,
          expect: 'deny',
          why: `only ${call.methods?.join('/')} allowed`,
        });
      }
    } else if (defaultDeny) {
      probes.push({
        from: caller.name,
        to: app.name,
        method: 'GET',
        path: '/',
        expect: 'deny',
        why: `${caller.name} has no call rule`,
      });
    }
  }
  if (defaultDeny) {
    probes.push({
      from: OUTSIDER,
      to: app.name,
      method: 'GET',
      path: '/',
      expect: 'deny',
      why: 'default deny',
    });
  }
  return probes;
}

// Plain NetworkPolicies stop at L4, so method and path limits are only provable on a mesh.
const enforcesL7 = (cluster: Cluster) => cluster.mesh !== 'none';

/** Every allow and deny the spec implies on one cluster, for the apps that serve a port. */
export function probeMatrix(platform: Platform, cluster: Cluster): Probe[] {
  return platform.apps
    .filter((app) => app.port !== undefined)
    .flatMap((app) =>
      probesFor(
        app,
        platform.apps.filter((other) => other !== app),
        platform.security.defaultDeny,
        enforcesL7(cluster),
      ),
    );
}
