import type { App } from '@meshproof/spec';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';

/** autoscaling/v2 HPA: owns the replica count (Flagger 1.44 accepts only v2 as autoscalerRef). */
export function autoscaler(app: App, deployment: string): IHorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: deployment, namespace: app.namespace, labels: { app: app.name } },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment },
      minReplicas: app.replicas.min,
      maxReplicas: app.replicas.max,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
        },
      ],
    },
  };
}

/** Keeps all but one pod of a workload up during node drains. */
export function disruptionBudget(
  app: App,
  name: string,
  selector: Record<string, string>,
): IPodDisruptionBudget {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace: app.namespace, labels: { app: app.name } },
    spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
  };
}
