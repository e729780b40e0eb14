// The Kubernetes objects of the in-cluster benchmark on one cluster: the same backend in a namespace
// outside the mesh (bench-plain) and one inside it (bench-mesh), the k6 script as a ConfigMap, and one k6 Job
// per run. Mesh enrolment and policy come from the mesh's render plugin (meshPlugin), as for the demo apps,
// so no mesh knowledge lives here: bench-mesh is rendered as an app namespace of a spec extended with the
// benchmark's two workloads (bench-k6 calls bench-backend).

import { K6_IMAGE, k6Script, type Profile, type Side } from '@meshproof/bench';
import { meshPlugin } from '@meshproof/render';
import type { Cluster, Platform } from '@meshproof/spec';
import { validatePlatform } from '@meshproof/spec';

export { K6_IMAGE };
export const NAMESPACES: Record<Side, string> = { plain: 'bench-plain', mesh: 'bench-mesh' };
export const BACKEND = 'bench-backend';
export const CLIENT = 'bench-k6';
export const BACKEND_PORT = 8080;
const ROLE_LABEL = 'meshproof/role';
export const SCRIPT_CONFIGMAP = 'bench-k6-script';
export const K6_CONTAINER = 'k6';

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
} & Record<string, unknown>;

/** The spec's backend image (the demo app named "backend", else the first app's). */
function backendImage(platform: Platform): string {
  const app = platform.apps.find((a) => a.name === 'backend') ?? platform.apps[0];
  if (!app) throw new Error('the benchmark serves the demo backend image, but the spec has no apps');
  return app.image;
}

/** The spec extended with the benchmark workloads in bench-mesh, so the mesh plugin renders their policy. */
function benchPlatform(platform: Platform): Platform {
  const ns = NAMESPACES.mesh;
  const version = [{ name: 'v1', weight: 100 }];
  const input = {
    ...platform,
    apps: [
      ...platform.apps,
      { name: BACKEND, namespace: ns, image: backendImage(platform), port: BACKEND_PORT, versions: version },
      {
        name: CLIENT,
        namespace: ns,
        image: K6_IMAGE,
        port: BACKEND_PORT,
        versions: version,
        calls: [{ app: BACKEND, methods: ['GET'] }],
      },
    ],
  };
  const result = validatePlatform(input);
  if (!result.ok)
    throw new Error(
      `benchmark workloads do not fit the spec: ${result.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
    );
  return result.platform;
}

const hasRole = (cluster: Cluster, role: string) =>
  (cluster.nodes?.workers ?? []).some((w) => w.role === role);
const nodeSelector = (cluster: Cluster, role: string) =>
  hasRole(cluster, role) ? { [ROLE_LABEL]: role } : undefined;

const restricted = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
};

/** Namespaces, backends, script and mesh policy for both sides: applied once before the runs. */
export function benchObjects(platform: Platform, cluster: Cluster): K8sObject[] {
  const plugin = meshPlugin(cluster.mesh);
  const ctx = { platform: benchPlatform(platform), cluster };
  const objects: K8sObject[] = [];
  for (const side of ['plain', 'mesh'] as const) {
    const ns = NAMESPACES[side];
    const nsMeta = side === 'mesh' ? plugin.namespaceMetadata(ctx, ns) : { labels: {}, annotations: {} };
    const podMeta =
      side === 'mesh'
        ? plugin.podMetadata(ctx, { name: BACKEND, namespace: ns })
        : { labels: {}, annotations: {} };
    const app = { app: BACKEND, 'meshproof/bench-side': side };
    objects.push(
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: ns,
          labels: { ...nsMeta.labels, 'pod-security.kubernetes.io/enforce': 'baseline' },
          annotations: { ...nsMeta.annotations },
        },
      },
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: BACKEND, namespace: ns },
        automountServiceAccountToken: false,
      },
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: CLIENT, namespace: ns },
        automountServiceAccountToken: false,
      },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: SCRIPT_CONFIGMAP, namespace: ns },
        data: { 'load.ts': k6Script() },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: BACKEND, namespace: ns, labels: app },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: BACKEND } },
          template: {
            metadata: {
              labels: { ...podMeta.labels, ...app, version: 'v1' },
              annotations: { ...podMeta.annotations },
            },
            spec: {
              serviceAccountName: BACKEND,
              ...(nodeSelector(cluster, 'server') ? { nodeSelector: nodeSelector(cluster, 'server') } : {}),
              securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
              containers: [
                {
                  name: 'backend',
                  image: backendImage(platform),
                  ports: [{ name: 'http', containerPort: BACKEND_PORT }],
                  env: [
                    { name: 'VERSION', value: 'v1' },
                    { name: 'SERVICE_NAME', value: BACKEND },
                  ],
                  readinessProbe: { httpGet: { path: '/', port: 'http' } },
                  resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '256Mi' } },
                  securityContext: restricted,
                },
              ],
            },
          },
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: BACKEND, namespace: ns, labels: app },
        spec: {
          selector: { app: BACKEND },
          ports: [{ name: 'http', port: BACKEND_PORT, targetPort: 'http' }],
        },
      },
    );
  }
  // The mesh side's policy exactly as the render writes it for an app namespace: deny by default, the
  // client admitted by identity (or by pod selector on the no-mesh baseline).
  const meshNs = NAMESPACES.mesh;
  const inMeshNs = (o: { metadata?: { namespace?: string } }) => o.metadata?.namespace === meshNs;
  const backendApp = ctx.platform.apps.find((a) => a.name === BACKEND && a.namespace === meshNs);
  for (const o of [...plugin.configs(ctx), ...(backendApp ? plugin.appObjects(ctx, backendApp) : [])])
    if (inMeshNs(o as K8sObject)) objects.push(o as K8sObject);
  return objects;
}

export const jobName = (repetition: number, side: Side) =>
  `${CLIENT}-${String(repetition).padStart(2, '0')}-${side}`;

/** One k6 run: a Job on a load-role node, raw samples as JSON lines on stdout (read back with kubectl logs). */
export function k6Job(
  platform: Platform,
  cluster: Cluster,
  profile: Profile,
  repetition: number,
  side: Side,
): K8sObject {
  const ns = NAMESPACES[side];
  const plugin = meshPlugin(cluster.mesh);
  const podMeta =
    side === 'mesh'
      ? plugin.podMetadata({ platform: benchPlatform(platform), cluster }, { name: CLIENT, namespace: ns })
      : { labels: {}, annotations: {} };
  const env = {
    TARGET_URL: `http://${BACKEND}.${ns}.svc.cluster.local:${BACKEND_PORT}`,
    RATE: String(profile.rate),
    DURATION_S: String(profile.durationSeconds),
    WARMUP_S: String(profile.warmupSeconds),
    PAYLOAD_BYTES: String(profile.payloadBytes),
    SIDE: side,
  };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobName(repetition, side),
      namespace: ns,
      labels: { app: CLIENT, 'meshproof/bench-side': side },
    },
    spec: {
      backoffLimit: 0,
      template: {
        metadata: {
          labels: { ...podMeta.labels, app: CLIENT, version: 'v1' },
          annotations: { ...podMeta.annotations },
        },
        spec: {
          restartPolicy: 'Never',
          serviceAccountName: CLIENT,
          ...(nodeSelector(cluster, 'load') ? { nodeSelector: nodeSelector(cluster, 'load') } : {}),
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 12345,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: K6_CONTAINER,
              image: K6_IMAGE,
              // JSON lines on stdout only: no progress bar, no end-of-test summary, k6's own log to stderr.
              args: ['run', '--quiet', '--summary-mode=disabled', '--out', 'json', '/scripts/load.ts'],
              env: Object.entries(env).map(([name, value]) => ({ name, value })),
              volumeMounts: [
                { name: 'script', mountPath: '/scripts', readOnly: true },
                { name: 'tmp', mountPath: '/tmp' },
              ],
              resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: { memory: '1Gi' } },
              securityContext: restricted,
            },
          ],
          volumes: [
            { name: 'script', configMap: { name: SCRIPT_CONFIGMAP } },
            { name: 'tmp', emptyDir: {} },
          ],
        },
      },
    },
  };
}
