import type { App, Canary, Cluster, Platform } from '@meshproof/spec';
import type { Caveat } from './caveats.ts';
import type { HealthCheckExpr } from './flux/health.ts';
import type { Layer } from './layout.ts';
import type { K8sObject, Metadata } from './model.ts';
import type { Caller } from './workload/names.ts';

/** What every mesh function receives: the whole validated spec and the cluster being rendered. */
export interface MeshContext {
  platform: Platform;
  cluster: Cluster;
}

/** Platform components whose pods a mesh may enrol (`MeshPlugin.platformPodMetadata`). */
export type PlatformComponent = 'prometheus' | 'grafana' | 'flagger';

/** How Flagger drives canaries on this mesh. */
export interface FlaggerSupport {
  /** Value of the Flagger chart's `meshProvider` (e.g. `istio`, `gatewayapi:v1`, `kubernetes`). */
  provider: string;
  /** false: the provider cannot split traffic by weight, so the analysis runs as blue/green iterations. */
  weightedTraffic: boolean;
  /** Extra `spec.service` fields of the Canary (e.g. gatewayRefs, retries, timeout). */
  service(ctx: MeshContext, app: App): Record<string, unknown>;
  /**
   * Checks only this mesh's data plane can measure (e.g. what a sidecar answers before a request
   * reaches the app), added to the core's app checks: one MetricTemplate each (configs layer) and
   * one metric on every Canary.
   */
  metrics?: readonly MeshCanaryMetric[];
}

/** A mesh-specific canary check: a Prometheus query over Flagger's template variables, and its bounds. */
export interface MeshCanaryMetric {
  /** MetricTemplate and Canary metric name; never one of Flagger's built-in names. */
  name: string;
  /** PromQL with Flagger's `{{ namespace }}`, `{{ target }}` and `{{ interval }}` variables. */
  query: string;
  /** The Canary metric's thresholdRange, from the app's canary spec. */
  thresholdRange(canary: Canary): { min?: number; max?: number };
}

/**
 * A mesh plug-in: everything mesh-specific the renderer needs, and nothing else. The core renders the
 * Flux chain, namespaces, workloads, observability and Flagger, and asks the plug-in for its part.
 * Every function must be pure and deterministic (same spec → same objects).
 */
/** One host command run before Flux: argv[0] is kubectl or helm; the runner adds the cluster's kubeconfig/context flags. */
export interface PreFluxCommand {
  title: string;
  argv: string[];
}

/** A running container as the metrics API lists it: its pod's name and labels, and the container's name. */
export interface ContainerRef {
  pod: string;
  container: string;
  labels: Record<string, string>;
}

/** One line of a cluster's memory estimate: what runs, how much it is planned to take, and why that figure. */
export interface MemoryPart {
  what: string;
  mib: number;
  basis: string;
}

/** The counts of one cluster a mesh's memory depends on. */
export interface MemoryShape {
  /** kind nodes, control plane included. */
  nodes: number;
  /** Pods that carry a proxy if the mesh injects one (apps, primaries, loadtesters). */
  meshedPods: number;
  appNamespaces: number;
}

/** The basis of a figure no upstream chart or render value gives. */
export const PLANNING_ESTIMATE = 'planning estimate (no upstream request)';

export interface MeshPlugin {
  /** File stem for this mesh's bundles, e.g. `istio` → infrastructure/controllers/istio.yaml. */
  id: string;
  /** CRDs (or Flux sources that apply CRDs) that must exist before the controllers layer. */
  crds(ctx: MeshContext): K8sObject[];
  /**
   * What the control plane needs before it starts (e.g. its identity issuer and trust roots from
   * cert-manager): applied in the identity layer, between crds and controllers, which is ready only
   * when `healthChecks` pass. A failure there is reported as itself, not as a control-plane timeout.
   */
  identity?(ctx: MeshContext): { objects: K8sObject[]; healthChecks: HealthCheckExpr[] };
  /** Control plane: namespaces, HelmRepository/OCIRepository + HelmRelease objects. */
  controllers(ctx: MeshContext): K8sObject[];
  /** Mesh-wide and per-namespace policy that needs the controllers' CRDs (mTLS, deny-all, waypoints). */
  configs(ctx: MeshContext): K8sObject[];
  /** Labels/annotations for an app namespace (enrolment, e.g. istio.io/dataplane-mode=ambient). */
  namespaceMetadata(ctx: MeshContext, namespace: string): Metadata;
  /**
   * Labels/annotations for the pods of a platform component the core installs (through its chart's
   * pod metadata values), when it must join the mesh: Prometheus to scrape meshed pods (e.g. ambient
   * ztunnel with STRICT mTLS refuses plaintext scrapes); Flagger and Grafana so that what they call
   * (the loadtesters' webhook, Prometheus) admits their identities instead of plaintext from anyone.
   */
  platformPodMetadata?(ctx: MeshContext, component: PlatformComponent): Metadata;
  /**
   * Labels/annotations for the pod template of an app, or of a workload the core adds to an app
   * namespace (the Flagger loadtester, through its chart's podLabels/podAnnotations), e.g. linkerd.io/inject.
   */
  podMetadata(ctx: MeshContext, workload: Caller): Metadata;
  /**
   * Per-app objects: authorization from `calls`, routing, resilience, faults. Callers come from
   * `callersOf`, which also lists the namespace's Flagger loadtester for canary apps.
   */
  appObjects(ctx: MeshContext, app: App): K8sObject[];
  /**
   * The rest of what the Flagger loadtester of `namespace` needs under this mesh's default deny
   * (apps layer, next to its HelmRelease): Flagger's calls from flagger-system to its webhook port
   * (LOADTESTER_PORT) and, where the mesh enforces egress, its calls to the canary apps
   * (`loadTargets`). Its admission as a caller of those apps comes from `callersOf`.
   */
  loadtester(ctx: MeshContext, namespace: string): K8sObject[];
  flagger: FlaggerSupport;
  /**
   * The benchmark's data-plane cost: the component a container is part of (e.g. 'ztunnel'), or
   * undefined when it is not this mesh's data plane. Names follow the mesh's published workloads.
   */
  dataPlaneComponent(c: ContainerRef): string | undefined;
  /** What the e2e runner's zero-trust probes need to know about this mesh (see ZeroTrustFacts). */
  zeroTrust: ZeroTrustFacts;
  /**
   * What this mesh adds to one kind cluster's memory (control plane, node agents, proxies), for the
   * runner's check that Docker offers enough: a chart's or the render's own request where one exists
   * (cited in `basis`), otherwise PLANNING_ESTIMATE.
   */
  memory(cluster: Cluster, shape: MemoryShape): MemoryPart[];
  /**
   * What `security.mtls: PERMISSIVE` means on this mesh, printed by validate and render: the mesh's
   * own permissive mode (`applied`), or why it is not applied. `accepts` lists the doctor checks the
   * rendered mode trips on app namespaces; the core records the spec's reason there as a suppression.
   */
  permissiveMtls(ctx: MeshContext): PermissiveMtls;
  /**
   * Whether a proxy on this cluster routes requests for an app's Service by version (weights, header
   * routes); true when absent. false: the Service's own selector is all the routing there is, so the
   * core points it at the one version with weight 100 instead of letting it spread over every version.
   */
  versionRouting?(ctx: MeshContext): boolean;
  /** Spec fields of `app` this mesh cannot render, with the reason; printed as warnings, never dropped silently. */
  caveats?(ctx: MeshContext, app: App): Caveat[];
  /**
   * Gateway API ingress for apps with `expose`. Absent when this repo installs no gateway controller
   * for the mesh: the spec then refuses `expose` on its clusters (INGRESS_MESHES).
   */
  ingress?: IngressSupport;
  /** Commands that must run before Flux can (e.g. installing a CNI mesh); the e2e runner executes them in order. */
  preFlux?(ctx: MeshContext): PreFluxCommand[];
  /** Extra `networking` fields of the kind Cluster config (e.g. disableDefaultCNI for a CNI mesh). */
  kindNetworking?(ctx: MeshContext): Record<string, unknown>;
  /** Kustomize patches for the Gateway API CRDs this mesh's controller needs (Flux `spec.patches`). */
  gatewayApiPatches?(ctx: MeshContext): GatewayApiPatch[];
  /**
   * Files that are not Kubernetes objects (e.g. Helm values a pre-Flux install also reads). With
   * `configMap`, the layer's kustomization.yaml turns the file into that ConfigMap.
   */
  files?(ctx: MeshContext): ExtraFile[];
}

export interface PermissiveMtls {
  applied: boolean;
  meaning: string;
  accepts?: readonly string[];
}

/** The mesh's own Gateway API controller, which serves the shared ingress Gateway. */
export interface IngressSupport {
  /** GatewayClass the controller serves (e.g. `istio`, `cilium`). */
  gatewayClassName: string;
  /** Authorization that lets the ingress gateway's identity call the exposed app under default deny. */
  allow(ctx: MeshContext, app: App): K8sObject[];
}

export interface GatewayApiPatch {
  target: { kind: string; name: string };
  /** A JSON6902 patch as YAML/JSON text. */
  patch: string;
}

export interface ExtraFile {
  layer: Layer;
  name: string;
  content: string;
  configMap?: { name: string; namespace: string; key: string };
}

/**
 * How a refused request looks from inside the caller's pod: an HTTP answer from a proxy (`DENIED_L7`),
 * a connection accepted and then closed or reset (`DENIED_RESET`), or no answer at all
 * (`DENIED_DROP`, a packet filter dropping silently).
 */
export type DenyClass = 'DENIED_L7' | 'DENIED_RESET' | 'DENIED_DROP';

/** A proxy's own refusal answer: its status and what its body starts with ('' = an empty body). */
export interface L7DenySignature {
  /** Reported with the evidence, e.g. `envoy-rbac`. */
  id: string;
  status: number;
  body: { empty: true } | { startsWith: string };
  /** Where upstream says so (repository and path, or doc page). */
  source: string;
}

/** The e2e probes' view of a mesh: what it enforces, what its refusals look like, how a pod stays out. */
export interface ZeroTrustFacts {
  /** The refusals this mesh may produce; any other outcome of a deny probe fails it. */
  denials: { classes: readonly DenyClass[]; l7: readonly L7DenySignature[] };
  /** Methods and paths of `calls` are enforced on this cluster (an L7 proxy sees the request). */
  enforcesCallLimits(ctx: MeshContext): boolean;
  /** STRICT mTLS alone, without default deny, refuses a plaintext client outside the mesh. */
  strictMtlsRefusesPlaintext: boolean;
  /** Pod labels/annotations that keep a pod out of this mesh whatever its namespace says. */
  outsidePodMetadata: Metadata;
  /**
   * Objects a probe workload added to an app namespace needs so that what its requests meet is the
   * callee's policy and not its own namespace's egress deny (e.g. an egress NetworkPolicy).
   */
  probeCallerObjects?(ctx: MeshContext, workload: Caller, targets: readonly App[]): K8sObject[];
}
