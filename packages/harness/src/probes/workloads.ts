// The two workloads the probes add to a cluster, and nothing else: an outsider in a namespace of its
// own, outside any mesh (the plaintext client), and a stranger in each probed app namespace, meshed
// like the apps but with a ServiceAccount no rule names (the wrong identity). Both idle in the demo
// image (which ships the probe client), serve nothing and have no Service.
import {
  APP_LABEL,
  type K8sObject,
  type Metadata,
  meshPlugin,
  podSecurityNamespace,
} from '@meshproof/render';
import { type App, type Cluster, type Platform, PROBE_NAMES } from '@meshproof/spec';

/** A namespace no mesh enrols and no policy names. */
export const OUTSIDE_NAMESPACE = PROBE_NAMES.outsideNamespace;
export const OUTSIDER = 'meshproof-outsider';
/** The spec refuses an app with this name or ServiceAccount (and apps in OUTSIDE_NAMESPACE). */
export const STRANGER = PROBE_NAMES.stranger;
export const PROBE_CONTAINER = 'probe';
/** `meshproof check`'s per-object suppression ("<ID>: <reason>"); the probe objects pass the doctor. */
const DOCTOR_IGNORE = 'meshproof.dev/ignore';
/** Marks every object the probes add, so they can be listed and removed together. */
export const PROBE_LABEL = 'meshproof/probe';

export interface ProbeWorkload {
  name: string;
  namespace: string;
  role: 'plaintext' | 'wrong-identity';
}

/** Apps the probes call: the ones serving a port. */
export const probeTargets = (platform: Platform): App[] => platform.apps.filter((a) => a.port !== undefined);

export const outsider: ProbeWorkload = { name: OUTSIDER, namespace: OUTSIDE_NAMESPACE, role: 'plaintext' };

export const stranger = (namespace: string): ProbeWorkload => ({
  name: STRANGER,
  namespace,
  role: 'wrong-identity',
});

/**
 * The probe pods' command: an idle process that exits on SIGTERM (as PID 1, node would otherwise
 * ignore it until killed). It opens no socket; requests come only from `kubectl exec` of the client.
 */
export const IDLE_COMMAND = [
  '/nodejs/bin/node',
  '-e',
  "process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1 << 30);",
];

function pod(w: ProbeWorkload, image: string, mesh: Metadata): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: w.name,
      namespace: w.namespace,
      labels: { ...mesh.labels, [APP_LABEL]: w.name, [PROBE_LABEL]: w.role },
      annotations: {
        ...mesh.annotations,
        [DOCTOR_IGNORE]: 'SEC006: an idle client started only by kubectl exec, it serves nothing to probe',
      },
    },
    spec: {
      serviceAccountName: w.name,
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: 5,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 65532,
        runAsGroup: 65532,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [
        {
          name: PROBE_CONTAINER,
          image,
          imagePullPolicy: 'IfNotPresent',
          command: IDLE_COMMAND,
          resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '128Mi' } },
          securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            privileged: false,
            capabilities: { drop: ['ALL'] },
          },
        },
      ],
    },
  } as K8sObject;
}

const serviceAccount = (w: ProbeWorkload): K8sObject =>
  ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: w.name, namespace: w.namespace, labels: { [PROBE_LABEL]: w.role } },
    automountServiceAccountToken: false,
  }) as K8sObject;

/**
 * Everything the probes add to `cluster`, in apply order: the outsider's namespace (restricted Pod
 * Security, no mesh enrolment), ServiceAccounts, Pods and what the mesh says a probe caller needs in
 * an app namespace. `image` is a demo image (it carries /app/probe.mjs).
 */
export function probeWorkloadObjects(
  platform: Platform,
  cluster: Cluster,
  workloads: readonly ProbeWorkload[],
  image: string,
): K8sObject[] {
  const mesh = meshPlugin(cluster.mesh);
  const ctx = { platform, cluster };
  const objects: K8sObject[] = [];
  if (workloads.some((w) => w.namespace === OUTSIDE_NAMESPACE)) {
    // Not Flux's: the render's prune annotation has no business here.
    const ns = podSecurityNamespace(OUTSIDE_NAMESPACE, 'restricted') as K8sObject;
    ns.metadata = {
      name: OUTSIDE_NAMESPACE,
      labels: { ...ns.metadata?.labels, [PROBE_LABEL]: 'plaintext' },
      annotations: {
        [DOCTOR_IGNORE]:
          'SEC002: the plaintext probe client lives here, nothing in it serves and it must stay outside every policy',
      },
    };
    objects.push(ns);
  }
  for (const w of workloads) {
    const metadata =
      w.role === 'plaintext'
        ? mesh.zeroTrust.outsidePodMetadata
        : mesh.podMetadata(ctx, { name: w.name, namespace: w.namespace, serviceAccount: w.name });
    const targets = probeTargets(platform);
    const extra =
      w.role === 'wrong-identity'
        ? (mesh.zeroTrust.probeCallerObjects?.(ctx, { name: w.name, namespace: w.namespace }, targets) ?? [])
        : [];
    for (const o of extra) {
      o.metadata = { ...o.metadata, labels: { ...o.metadata?.labels, [PROBE_LABEL]: w.role } };
    }
    objects.push(serviceAccount(w), ...extra, pod(w, image, metadata));
  }
  return objects;
}
