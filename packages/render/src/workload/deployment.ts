import type { App, AppVersion, Platform } from '@meshproof/spec';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { Metadata } from '../model.ts';
import { otlpEndpoint } from '../observability/endpoints.ts';
import {
  APP_LABEL,
  deploymentName,
  findApp,
  PORT_NAME,
  selectorOf,
  serviceAccountName,
  serviceHost,
  VERSION_LABEL,
} from './names.ts';
import { preferRole } from './placement.ts';

// The demo images run as this non-root user; an explicit UID lets runAsNonRoot be verified by the kubelet.
const RUN_AS = 65532;

function env(platform: Platform, app: App, version: AppVersion): IEnvVar[] {
  const vars: IEnvVar[] = [{ name: 'VERSION', value: version.name }];
  if (app.port !== undefined) vars.push({ name: 'PORT', value: String(app.port) });
  // Each callee becomes <CALLEE>_URL (e.g. BACKEND_URL), the contract of the demo images.
  for (const call of app.calls) {
    const callee = findApp(platform, call.app);
    if (callee?.port === undefined) continue;
    vars.push({
      name: `${call.app.toUpperCase().replaceAll('-', '_')}_URL`,
      value: `http://${serviceHost(callee)}:${callee.port}`,
    });
  }
  const faults = version.faults;
  if (faults) {
    vars.push(
      { name: 'FAULT_ERROR_RATE', value: String(faults.errorRate) },
      { name: 'FAULT_DELAY_MS', value: String(faults.delayMs) },
      { name: 'FAULT_DELAY_RATE', value: String(faults.delayRate) },
    );
  }
  if (platform.observability.tracing) vars.push({ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: otlpEndpoint });
  return vars;
}

export function podLabels(app: App, version: AppVersion): Record<string, string> {
  return { app: app.name, [APP_LABEL]: app.name, [VERSION_LABEL]: version.name };
}

/**
 * A hardened Deployment without `replicas`: the HPA owns the count, and under Flagger a committed
 * replica count would scale the canary back up after every promotion.
 */
export function deployment(platform: Platform, app: App, version: AppVersion, mesh: Metadata): IDeployment {
  const labels = podLabels(app, version);
  const scrape = platform.observability.prometheus && app.port !== undefined;
  const probe = (path: string) => ({
    httpGet: { path, port: PORT_NAME },
    periodSeconds: 10,
    timeoutSeconds: 2,
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: deploymentName(app, version), namespace: app.namespace, labels },
    spec: {
      selector: { matchLabels: selectorOf(app, version) },
      revisionHistoryLimit: 5,
      template: {
        metadata: {
          labels: { ...mesh.labels, ...labels },
          annotations: {
            ...mesh.annotations,
            ...(scrape
              ? {
                  'prometheus.io/scrape': 'true',
                  'prometheus.io/port': String(app.port),
                  'prometheus.io/path': '/metrics',
                }
              : {}),
          },
        },
        spec: {
          serviceAccountName: serviceAccountName(app),
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: RUN_AS,
            runAsGroup: RUN_AS,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          affinity: preferRole('server'),
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: { [APP_LABEL]: app.name } },
            },
          ],
          containers: [
            {
              name: app.name,
              image: version.image ?? app.image,
              imagePullPolicy: 'IfNotPresent',
              env: env(platform, app, version),
              ports:
                app.port === undefined
                  ? undefined
                  : [{ name: PORT_NAME, containerPort: app.port, protocol: 'TCP' }],
              readinessProbe: app.port === undefined ? undefined : probe(app.health.readiness),
              livenessProbe:
                app.port === undefined ? undefined : { ...probe(app.health.liveness), failureThreshold: 3 },
              resources: {
                requests: { cpu: app.resources.cpu, memory: app.resources.memory },
                limits: { memory: app.resources.memory },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                privileged: false,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
        },
      },
    },
  };
}
