import type { App } from '@meshproof/spec';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { helmRelease } from '../flux/helm.ts';
import type { MeshContext, MeshPlugin } from '../mesh.ts';
import type { K8sObject } from '../model.ts';
import { FLAGGER } from '../versions.ts';
import { APP_LABEL, appsIn, LOADTESTER, loadtesterCaller, serviceAccountName } from '../workload/names.ts';
import { preferRole } from '../workload/placement.ts';

/**
 * Flagger's loadtester (`loadtester` chart, fluxcd/flagger charts/loadtester): its Service
 * `flagger-loadtester` (the chart's fullname for this release name) listens on port 80 and forwards
 * to the container's `http` port, 8080, where the webhook API and the `/healthz` probes are served.
 */
export const LOADTESTER_SERVICE_PORT = 80;
export const LOADTESTER_PORT = 8080;
/** Flagger POSTs webhook payloads to the URL as given: the loadtester's root. */
export const LOADTESTER_WEBHOOK_PATH = '/';

/** The chart's pod label (`app: <chart name>`), unchanged by podLabels. */
export const LOADTESTER_CHART_LABELS = { app: 'loadtester' } as const;
/** What the mesh policies select: the label every meshproof workload carries. */
export const LOADTESTER_POD_LABELS = { [APP_LABEL]: LOADTESTER } as const;

/** Flagger's own pods (flagger chart, release `flagger`): the only client of the webhook API. */
export const FLAGGER_POD_LABELS = {
  'app.kubernetes.io/name': 'flagger',
  'app.kubernetes.io/instance': 'flagger',
} as const;
/** The flagger chart's ServiceAccount: serviceAccount.create with the chart fullname `flagger`. */
export const FLAGGER_SERVICE_ACCOUNT = 'flagger';

// The image runs as a non-numeric user (`app`); Flagger's own kustomize/tester manifest runs it as
// this UID with a read-only root filesystem, which lets the kubelet verify runAsNonRoot.
const RUN_AS = 10001;

export const loadtesterUrl = (namespace: string) => `http://${LOADTESTER}.${namespace}/`;

/** Load per analysis interval: modest, below the apps' default HPA targets, for one minute. */
export const LOAD = { duration: '1m', qps: 10, concurrency: 2 } as const;

/**
 * The canary Service Flagger generates (`<app>-canary`) selects only the canary pods on every
 * provider: the only way to reach them on `kubernetes` (blue/green) and what Flagger's tutorials
 * target on weighted providers too, so each analysis sees load whatever the current weight. `/` is
 * an app route (counted by the MetricTemplates, unlike the health and metrics paths).
 */
export const canaryUrl = (app: App) => `http://${app.name}-canary.${app.namespace}:${app.port}/`;

export const loadCommand = (app: App) =>
  `hey -z ${LOAD.duration} -q ${LOAD.qps} -c ${LOAD.concurrency} ${canaryUrl(app)}`;

/** One request the canary must answer with a success before any traffic shifts to it. */
export const acceptanceCommand = (app: App) => `curl -sSf --max-time 5 -o /dev/null ${canaryUrl(app)}`;

/**
 * The Canary's `analysis.webhooks`, both served by the namespace's loadtester: a `pre-rollout`
 * acceptance check (blocking: `bash` type), then load during every check (`rollout`, `cmd` type:
 * the loadtester answers once `hey` started and keeps it running in the background).
 */
export function loadWebhooks(app: App): Record<string, unknown>[] {
  const url = loadtesterUrl(app.namespace);
  return [
    {
      name: 'acceptance-test',
      type: 'pre-rollout',
      url,
      timeout: '30s',
      metadata: { type: 'bash', cmd: acceptanceCommand(app) },
    },
    {
      name: 'load-test',
      type: 'rollout',
      url,
      timeout: '15s',
      metadata: { type: 'cmd', cmd: loadCommand(app) },
    },
  ];
}

/**
 * The namespace's loadtester: its own ServiceAccount (the identity every mesh authorizes as a caller
 * of the canary apps) and the pinned chart. It lives in the apps layer because it must run in the app
 * namespace (created in configs, with the mesh's enrolment labels and per-namespace policy) so the
 * mesh captures it like an app pod; HelmRelease is a Flux API, so no layer has to install its CRD.
 * Pod Security `restricted` through the chart's podSecurityContext/securityContext values.
 */
export function loadtesterObjects(ctx: MeshContext, mesh: MeshPlugin, namespace: string): K8sObject[] {
  const clash = appsIn(ctx.platform, namespace).find(
    (a) => a.name === LOADTESTER || serviceAccountName(a) === LOADTESTER,
  );
  if (clash) throw new Error(`app ${clash.name}: "${LOADTESTER}" is the loadtester's name in ${namespace}`);
  const caller = loadtesterCaller(namespace);
  const pod = mesh.podMetadata(ctx, caller);
  const serviceAccount: IServiceAccount = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: LOADTESTER, namespace, labels: { app: LOADTESTER } },
    // The loadtester only runs `hey`; it never calls the Kubernetes API.
    automountServiceAccountToken: false,
  };
  const release = helmRelease({
    name: LOADTESTER,
    namespace,
    repository: 'flagger',
    chart: 'loadtester',
    version: FLAGGER.loadtester.chartVersion,
    crds: 'Skip',
    values: {
      image: { tag: FLAGGER.loadtester.imageTag },
      // Each `hey` run lasts LOAD.duration; anything still running after this is stuck.
      cmd: { timeout: '5m' },
      serviceAccountName: LOADTESTER,
      affinity: preferRole('load'),
      podLabels: { ...pod.labels, ...LOADTESTER_POD_LABELS },
      // The chart's default asks Prometheus to scrape port 8080, which no policy admits: not an app.
      podAnnotations: { ...pod.annotations, 'prometheus.io/scrape': 'false' },
      podSecurityContext: {
        enabled: true,
        context: {
          runAsNonRoot: true,
          runAsUser: RUN_AS,
          runAsGroup: RUN_AS,
          seccompProfile: { type: 'RuntimeDefault' },
        },
      },
      securityContext: {
        enabled: true,
        context: {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          privileged: false,
          capabilities: { drop: ['ALL'] },
        },
      },
      volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
      volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
      resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '256Mi' } },
    },
  });
  return [serviceAccount, release, ...mesh.loadtester(ctx, namespace)];
}
