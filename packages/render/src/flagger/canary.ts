import type { App } from '@meshproof/spec';
import type { MeshContext, MeshPlugin } from '../mesh.ts';
import type { K8sObject } from '../model.ts';
import { PORT_NAME } from '../workload/names.ts';
import { loadWebhooks } from './loadtester.ts';
import { CANARY_METRICS, templateRef } from './metric-templates.ts';

/** flagger.app/v1beta1 Canary; no published typed model exists, so the shape follows the pinned CRD. */
export interface Canary extends K8sObject {
  apiVersion: 'flagger.app/v1beta1';
  kind: 'Canary';
  spec: {
    provider: string;
    targetRef: { apiVersion: string; kind: string; name: string };
    autoscalerRef: { apiVersion: string; kind: string; name: string };
    progressDeadlineSeconds: number;
    service: Record<string, unknown> & { port: number };
    analysis: Record<string, unknown>;
  };
}

/**
 * A Canary over the app's Deployment and HPA. The success rate (percent) and p99 (milliseconds) checks
 * of metric-templates.ts gate every step, with the mesh's own checks (`FlaggerSupport.metrics`) after
 * them; the names differ from Flagger's built-ins on purpose. A
 * rollout webhook has the namespace's loadtester (loadtester.ts) send load to the canary pods.
 */
export function canary(ctx: MeshContext, mesh: MeshPlugin, app: App): Canary {
  const spec = app.canary;
  if (!spec || app.port === undefined) throw new Error(`app ${app.name} has no canary or no port`);
  const steps = Math.ceil(spec.maxWeight / spec.stepWeight);
  // Blue/green when the provider cannot shift weight: as many checks as the weighted rollout would run.
  const shifting = mesh.flagger.weightedTraffic
    ? { maxWeight: spec.maxWeight, stepWeight: spec.stepWeight }
    : { iterations: steps };
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: app.name, namespace: app.namespace },
    spec: {
      provider: mesh.flagger.provider,
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: app.name },
      autoscalerRef: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: app.name },
      progressDeadlineSeconds: 600,
      service: {
        port: app.port,
        targetPort: PORT_NAME,
        portName: PORT_NAME,
        ...mesh.flagger.service(ctx, app),
      },
      analysis: {
        interval: `${spec.intervalSeconds}s`,
        threshold: spec.threshold,
        ...shifting,
        metrics: [
          {
            name: CANARY_METRICS.successRate,
            templateRef: templateRef(CANARY_METRICS.successRate),
            interval: '1m',
            thresholdRange: { min: spec.minSuccessRate },
          },
          {
            name: CANARY_METRICS.p99,
            templateRef: templateRef(CANARY_METRICS.p99),
            interval: '1m',
            thresholdRange: { max: spec.maxP99Ms },
          },
          ...(mesh.flagger.metrics ?? []).map((m) => ({
            name: m.name,
            templateRef: templateRef(m.name),
            interval: '1m',
            thresholdRange: m.thresholdRange(spec),
          })),
        ],
        // The checks read the canary pods' own request metrics: without load they halt with no values.
        webhooks: loadWebhooks(app),
      },
    },
  };
}
