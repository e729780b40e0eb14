// HorizontalPodAutoscalers on CPU utilization divide usage by the pods' CPU requests, summed over
// every container the pod will run, sidecars included. One container without a request and the
// HPA controller gives up on every sync ("missing request for cpu in container ..."): the HPA
// never scales and nothing in Flux turns red. Meshes inject containers the manifests do not show,
// so their requests are read from where the mesh takes them (annotations, control-plane values).
import { get, helmValues, isObj, list, named, ofKind, type PodTemplate, podTemplate, ref } from '../k8s.ts';
import { istioMode, namespaceObject } from '../mesh.ts';
import type { Check, ClusterSet, Issue, K8sObject, Path } from '../model.ts';

/** A container the pod will run, with its CPU request if it has one. */
interface PodContainer {
  name: string;
  cpu: string | undefined;
  /** Who adds it, when the manifest does not show it. */
  injectedBy?: string;
}

const cpuRequest = (container: unknown): string | undefined => {
  const cpu = get(container, ['resources', 'requests', 'cpu']);
  return cpu === undefined || cpu === '' ? undefined : String(cpu);
};

// What the template says: containers, plus native sidecars (init containers that keep running),
// which the HPA counts; run-to-completion init containers it does not.
function declared(t: PodTemplate): PodContainer[] {
  const running = list(t.spec.containers);
  const sidecars = list(t.spec.initContainers).filter((c) => get(c, ['restartPolicy']) === 'Always');
  return [...running, ...sidecars]
    .filter(isObj)
    .map((c) => ({ name: String(c.name ?? '?'), cpu: cpuRequest(c) }));
}

const podAnnotation = (t: PodTemplate, key: string): string | undefined => {
  const v = get(t.obj.body, [...t.specPath.slice(0, -1), 'metadata', 'annotations', key]);
  return typeof v === 'string' ? v : undefined;
};

const nonEmpty = (v: unknown): string | undefined =>
  v === undefined || v === null || v === '' ? undefined : String(v);

// Linkerd injects `linkerd-proxy` (a native sidecar since 2.20) when the pod or its namespace says
// `linkerd.io/inject: enabled`; its request comes from config.linkerd.io/proxy-cpu-request on the pod,
// then the namespace, then the control plane's proxy.resources.cpu.request (empty by default).
function linkerdProxy(c: ClusterSet, t: PodTemplate): PodContainer | undefined {
  const ns = namespaceObject(c, t.obj.namespace);
  const onPod = podAnnotation(t, 'linkerd.io/inject');
  const inject = onPod ?? ns?.annotations['linkerd.io/inject'];
  if (inject !== 'enabled' && inject !== 'ingress') return undefined;
  const key = 'config.linkerd.io/proxy-cpu-request';
  const cpu =
    nonEmpty(podAnnotation(t, key)) ??
    nonEmpty(ns?.annotations[key]) ??
    nonEmpty(get(helmValues(c, 'linkerd-control-plane'), ['proxy', 'resources', 'cpu', 'request']));
  return { name: 'linkerd-proxy', cpu, injectedBy: 'Linkerd' };
}

// Istio's chart default for injected sidecars is a 100m request (istio-discovery values
// global.proxy.resources); the sidecar.istio.io/proxyCPU annotation overrides it per pod.
const ISTIO_DEFAULT_CPU = '100m';

function istioSidecar(c: ClusterSet, t: PodTemplate): PodContainer | undefined {
  const ns = namespaceObject(c, t.obj.namespace);
  const label = t.labels['sidecar.istio.io/inject'];
  const nsSidecar = ns !== undefined && istioMode(ns) === 'sidecar';
  if (label === 'false' || (label !== 'true' && !nsSidecar)) return undefined;
  const resources = get(helmValues(c, 'istiod'), ['global', 'proxy', 'resources']);
  const fromValues =
    resources === undefined ? ISTIO_DEFAULT_CPU : nonEmpty(get(resources, ['requests', 'cpu']));
  return {
    name: 'istio-proxy',
    cpu: nonEmpty(podAnnotation(t, 'sidecar.istio.io/proxyCPU')) ?? fromValues,
    injectedBy: 'Istio',
  };
}

/** Every container a pod of `t` will run, injected sidecars included. */
export function podContainers(c: ClusterSet, t: PodTemplate): PodContainer[] {
  return [
    ...declared(t),
    ...[linkerdProxy(c, t), istioSidecar(c, t)].filter((x): x is PodContainer => x !== undefined),
  ];
}

// An HPA without a metric scales on the API's default, 80 % average CPU utilization: autoscaling/v2
// fills an empty metrics list with it (kubernetes/kubernetes pkg/apis/autoscaling/v2beta2/defaults.go,
// kept in v2), and autoscaling/v1 without targetCPUUtilizationPercentage uses that default policy.
const DEFAULT_METRIC = 'no metric set: the default, 80 % CPU utilization';

/** The HPA's CPU-utilization metrics: where each is, the container it is limited to, whether it is the default. */
function cpuUtilizationMetrics(hpa: K8sObject): { path: Path; container?: string; byDefault?: true }[] {
  if (hpa.apiVersion === 'autoscaling/v1') {
    const path = ['spec', 'targetCPUUtilizationPercentage'];
    return [get(hpa.body, path) === undefined ? { path, byDefault: true } : { path }];
  }
  const metrics = list(get(hpa.body, ['spec', 'metrics']));
  if (metrics.length === 0) return [{ path: ['spec', 'metrics'], byDefault: true }];
  return metrics.flatMap((m, i) => {
    const type = get(m, ['type']);
    const field = type === 'Resource' ? 'resource' : type === 'ContainerResource' ? 'containerResource' : '';
    if (!field || get(m, [field, 'name']) !== 'cpu' || get(m, [field, 'target', 'type']) !== 'Utilization')
      return [];
    const container = get(m, [field, 'container']);
    return [
      { path: ['spec', 'metrics', i], container: typeof container === 'string' ? container : undefined },
    ];
  });
}

function scaleTarget(c: ClusterSet, hpa: K8sObject): PodTemplate | undefined {
  const kind = get(hpa.body, ['spec', 'scaleTargetRef', 'kind']);
  const name = get(hpa.body, ['spec', 'scaleTargetRef', 'name']);
  const target = named(c, String(kind), hpa.namespace, name)[0];
  return target ? podTemplate(target) : undefined;
}

function unscalable(c: ClusterSet): Issue[] {
  return ofKind(c, 'HorizontalPodAutoscaler', 'autoscaling').flatMap((hpa) => {
    const metrics = cpuUtilizationMetrics(hpa);
    const t = metrics.length > 0 ? scaleTarget(c, hpa) : undefined;
    if (!t) return [];
    const all = podContainers(c, t);
    return metrics.flatMap(({ path, container, byDefault }) =>
      all
        .filter((ct) => ct.cpu === undefined && (container === undefined || ct.name === container))
        .map((ct) => ({
          obj: hpa,
          path,
          message: `scales on CPU utilization${byDefault ? ` (${DEFAULT_METRIC})` : ''}, but container ${ct.name}${ct.injectedBy ? ` (injected by ${ct.injectedBy})` : ''} of ${ref(t.obj)} has no CPU request: the HPA cannot compute utilization and never scales`,
        })),
    );
  });
}

export const scalingChecks: Check[] = [
  {
    id: 'SEC010',
    severity: 'error',
    title: 'CPU autoscaling over a container without a CPU request',
    description:
      'A HorizontalPodAutoscaler on CPU utilization (also the default when it sets no metric) needs a CPU request on every container of its pods, including native sidecars and the proxies a mesh injects (Linkerd from linkerd.io/inject, Istio sidecars from injection labels); otherwise it stops scaling without any other sign.',
    hint: 'Set resources.requests.cpu on the container; for injected proxies set the mesh value (Linkerd proxy.resources.cpu.request or config.linkerd.io/proxy-cpu-request, Istio global.proxy.resources.requests.cpu or sidecar.istio.io/proxyCPU).',
    run: ({ cluster }) => unscalable(cluster),
  },
];
