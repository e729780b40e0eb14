import { helmRelease, helmRepository } from '../flux/helm.ts';
import type { K8sObject } from '../model.ts';
import { METRICS_SERVER } from '../versions.ts';

export const METRICS_SERVER_RELEASE = { name: 'metrics-server', namespace: 'kube-system' } as const;

/** Shown at the top of the rendered file: why certificate checks towards the kubelets are off. */
export const METRICS_SERVER_COMMENT =
  'Resource metrics for the HPAs. --kubelet-insecure-tls is for kind only (every rendered cluster is\none): its kubelets serve self-signed certificates that no cluster CA signed.';

/**
 * metrics-server for the resource metrics API (metrics.k8s.io): without it no HorizontalPodAutoscaler,
 * nor Flagger's primary copy of one, ever gets a CPU reading, so none scales. kube-system is not an
 * app namespace: no mesh enrols it and no rendered policy selects it (default deny is per app
 * namespace), and its Pod Security is the cluster default, not the apps' `restricted`. The API server
 * reaches the pod over the pod network (no hostNetwork), which kind routes.
 */
export function metricsServerObjects(): K8sObject[] {
  return [
    helmRepository('metrics-server', METRICS_SERVER.helmRepo),
    helmRelease({
      ...METRICS_SERVER_RELEASE,
      repository: 'metrics-server',
      chart: 'metrics-server',
      version: METRICS_SERVER.chartVersion,
      values: {
        // kind only (every rendered cluster is a kind cluster): kubelets serve self-signed
        // certificates that no cluster CA signed, so metrics-server cannot verify them. Kept next to
        // the chart's defaultArgs (the chart appends `args`).
        args: ['--kubelet-insecure-tls'],
      },
    }),
  ];
}
