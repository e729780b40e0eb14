// Every request the e2e sends to prove a cluster's policy, derived from the spec and the mesh's facts.
// Per target, in the order the runner must send them: the target answers locally (`self`), each caller
// with a rule gets through (`allowed`), and only then the requests that must be refused, so a refusal
// can't be mistaken for a dead target.
import { meshPlugin, serviceHost, servingWorkload } from '@meshproof/render';
import type { App, Call, Cluster, Platform } from '@meshproof/spec';
import {
  OUTSIDER,
  outsider,
  PROBE_CONTAINER,
  type ProbeWorkload,
  probeTargets,
  STRANGER,
  stranger,
} from './workloads.ts';

/**
 * Who sends the request: the target itself over loopback (`self`), a caller with a rule (`allowed`),
 * another app with no rule (`no-rule`), a meshed workload whose ServiceAccount no rule names
 * (`wrong-identity`), a client outside the mesh (`plaintext`), or a caller with a rule using a
 * method or path its rule leaves out (`l7`).
 */
export type CallerKind = 'self' | 'allowed' | 'no-rule' | 'wrong-identity' | 'plaintext' | 'l7';

/** Where the request leaves from: `kubectl exec -n namespace target -c container`. */
export interface ProbeSource {
  namespace: string;
  /** `deploy/<name>` or `pod/<name>`. */
  target: string;
  container: string;
}

/** One request the e2e sends to prove the policy. */
export interface Probe {
  /** Unique within a cluster's matrix. */
  id: string;
  from: string;
  to: string;
  method: string;
  path: string;
  url: string;
  expect: 'allow' | 'deny';
  caller: CallerKind;
  why: string;
  source: ProbeSource;
  /**
   * Deny probes: the allow probes to the same target that must have passed first (network ones when
   * the target has callers, else its loopback check), so that a timeout means "dropped", not "down".
   */
  controls: string[];
}

/** A path no `calls` prefix other than "/" covers, on every mesh's prefix semantics. */
export const DENIED_PATH = '/meshproof-denied-path';
/**
 * Probes may run against a staging cluster (--existing), so they prefer methods that change nothing
 * should a policy let them through: OPTIONS first for a method that must be refused (HEAD would hide
 * a proxy's refusal body), GET first for one that must pass.
 */
const DENIED_METHODS = ['OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE', 'GET'] as const;
const SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS'];
const allowedMethod = (call: Call) =>
  call.methods?.find((m) => SAFE_METHODS.includes(m)) ?? call.methods?.[0] ?? 'GET';

const appSource = (app: App): ProbeSource => {
  const w = servingWorkload(app);
  return { namespace: w.namespace, target: `deploy/${w.deployment}`, container: w.container };
};

const workloadSource = (w: ProbeWorkload): ProbeSource => ({
  namespace: w.namespace,
  target: `pod/${w.name}`,
  container: PROBE_CONTAINER,
});

interface Sender {
  name: string;
  source: ProbeSource;
}

const serviceUrl = (app: App, path: string) => `http://${serviceHost(app)}:${app.port}${path}`;

function probe(
  caller: CallerKind,
  from: Sender,
  to: App,
  method: string,
  path: string,
  expect: 'allow' | 'deny',
  why: string,
  url = serviceUrl(to, path),
): Probe {
  return {
    id: `${caller}:${from.name}->${to.name}:${method}:${path}`,
    from: from.name,
    to: to.name,
    method,
    path,
    url,
    expect,
    caller,
    why,
    source: from.source,
    controls: [],
  };
}

/** A method and a path the call's rule leaves out (if it limits them), each with an allowed other half. */
function l7Probes(caller: Sender, target: App, call: Call): Probe[] {
  const path = call.paths?.[0] ?? '/';
  const method = allowedMethod(call);
  const probes: Probe[] = [];
  const deniedMethod = call.methods && DENIED_METHODS.find((m) => !call.methods?.includes(m));
  if (deniedMethod) {
    probes.push(
      probe(
        'l7',
        caller,
        target,
        deniedMethod,
        path,
        'deny',
        `${caller.name} may only ${call.methods?.join('/')}`,
      ),
    );
  }
  if (call.paths && !call.paths.includes('/')) {
    probes.push(
      probe(
        'l7',
        caller,
        target,
        method,
        DENIED_PATH,
        'deny',
        `${caller.name} may only call ${call.paths.join(', ')}`,
      ),
    );
  }
  return probes;
}

function targetProbes(
  platform: Platform,
  cluster: Cluster,
  target: App,
  workloads: ProbeWorkload[],
): Probe[] {
  const facts = meshPlugin(cluster.mesh).zeroTrust;
  const { defaultDeny, mtls } = platform.security;
  const here = { name: target.name, source: appSource(target) };
  const self = probe(
    'self',
    here,
    target,
    'GET',
    target.health.readiness,
    'allow',
    'the target serves (loopback: no policy applies)',
    `http://127.0.0.1:${target.port}${target.health.readiness}`,
  );
  const allowed: Probe[] = [];
  const denied: Probe[] = [];
  for (const caller of platform.apps.filter((a) => a !== target)) {
    const sender = { name: caller.name, source: appSource(caller) };
    const call = caller.calls.find((c) => c.app === target.name);
    if (call) {
      allowed.push(
        probe(
          'allowed',
          sender,
          target,
          allowedMethod(call),
          call.paths?.[0] ?? '/',
          'allow',
          `${caller.name} calls ${target.name}`,
        ),
      );
      if (facts.enforcesCallLimits({ platform, cluster })) denied.push(...l7Probes(sender, target, call));
    } else if (defaultDeny) {
      denied.push(
        probe(
          'no-rule',
          sender,
          target,
          'GET',
          '/',
          'deny',
          `${caller.name} has no call rule for ${target.name}`,
        ),
      );
    }
  }
  const strangerHere = workloads.find((w) => w.role === 'wrong-identity' && w.namespace === target.namespace);
  if (strangerHere) {
    denied.push(
      probe(
        'wrong-identity',
        { name: STRANGER, source: workloadSource(strangerHere) },
        target,
        'GET',
        '/',
        'deny',
        `ServiceAccount ${target.namespace}/${STRANGER} is meshed but no rule names it`,
      ),
    );
  }
  if (workloads.includes(outsider)) {
    denied.push(
      probe(
        'plaintext',
        { name: OUTSIDER, source: workloadSource(outsider) },
        target,
        'GET',
        '/',
        'deny',
        defaultDeny
          ? 'a client outside the mesh, in a namespace no rule names'
          : `plaintext under ${mtls} mTLS`,
      ),
    );
  }
  const controls = (allowed.length > 0 ? allowed : [self]).map((p) => p.id);
  return [self, ...allowed, ...denied.map((p) => ({ ...p, controls }))];
}

/**
 * The workloads the probes add on this cluster: a stranger per probed app namespace under default
 * deny, and the outsider wherever a plaintext client must be refused (default deny, or STRICT mTLS on
 * a mesh that refuses plaintext by mTLS alone).
 */
export function probeWorkloads(platform: Platform, cluster: Cluster): ProbeWorkload[] {
  const facts = meshPlugin(cluster.mesh).zeroTrust;
  const { defaultDeny, mtls } = platform.security;
  const targets = probeTargets(platform);
  if (targets.length === 0) return [];
  const strangers = defaultDeny ? [...new Set(targets.map((t) => t.namespace))].sort().map(stranger) : [];
  const plaintextRefused = defaultDeny || (mtls === 'STRICT' && facts.strictMtlsRefusesPlaintext);
  return [...(plaintextRefused ? [outsider] : []), ...strangers];
}

/** Every allow and deny the spec implies on one cluster, grouped by target in the order they must run. */
export function probeMatrix(platform: Platform, cluster: Cluster): Probe[] {
  const workloads = probeWorkloads(platform, cluster);
  return probeTargets(platform).flatMap((target) => targetProbes(platform, cluster, target, workloads));
}
